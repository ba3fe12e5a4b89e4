import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_AWS } from '../../local/emulators';
import type { EmulatorEndpoints, LocalPipeline } from '../../local/pipeline';
import type { LocalResourceSettings } from '../../local/resources';

/** A name unique to one test, so tests sharing the emulators never see each other's tables or messages. */
export const uniqueName = (prefix: string, namespace = 'it'): string => `${namespace}-${prefix}-${randomBytes(5).toString('hex')}`;

/** Fresh signing secrets for both endpoints. */
export const newTestSecrets = (namespace = 'it'): { readonly account: string; readonly connect: string } => ({
  account: `whsec_${namespace}_${randomBytes(12).toString('hex')}`,
  connect: `whsec_${namespace}_${randomBytes(12).toString('hex')}`,
});

/** Table and queue settings of one test's own pipeline. */
export const isolatedResources = (options: { readonly namespace?: string; readonly visibilityTimeoutSeconds?: number; readonly maxReceiveCount?: number } = {}): LocalResourceSettings => ({
  ledgerTableName: uniqueName('ledger', options.namespace),
  stateTableName: uniqueName('state', options.namespace),
  queueName: uniqueName('events', options.namespace),
  deadLetterQueueName: uniqueName('events-dlq', options.namespace),
  visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
  maxReceiveCount: options.maxReceiveCount ?? 5,
});

/** A state file like the one `npm start` writes, so a CLI command run in process finds this pipeline. */
export const writeStateFile = (options: {
  readonly pipeline: LocalPipeline;
  readonly endpoints: EmulatorEndpoints;
  readonly secrets: { readonly account: string; readonly connect: string };
}): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'cw-')), 'pipeline.json');
  const { pipeline, endpoints, secrets } = options;
  const state = { url: pipeline.url, region: LOCAL_AWS.region, endpoints, resources: pipeline.resources, secrets: { account: [secrets.account], connect: [secrets.connect] }, pid: process.pid, startedAt: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(state));
  return file;
};
