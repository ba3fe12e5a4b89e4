import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountsCommand } from '../../cli/accounts-command';
import { THIN_TRIGGER_TYPES } from '../../cli/thin-event-templates';
import { triggerCommand } from '../../cli/trigger-command';
import type { LedgerRecord } from '../../functions/core/ledger-record';
import type { Logger } from '../../functions/core/ports';
import { LOCAL_AWS } from '../../local/emulators';
import { startLocalPipeline } from '../../local/pipeline';
import type { LocalPipeline } from '../../local/pipeline';
import { runCli, useEnv } from '../support/cli-runner';
import { ledgerOf, waitForLedgerRecord } from '../support/ledger-wait';
import { isolatedResources, newTestSecrets } from '../support/pipeline-fixtures';

jest.setTimeout(90_000);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const ACCOUNT = 'acct_1TriggerThinTest';

describe('trigger: thin events and EventBridge deliveries, against the Stripe stand-in of the local pipeline', () => {
  let pipeline: LocalPipeline;
  let stateFile: string;
  let env: { restore(): void };
  const secrets = { ...newTestSecrets(), thin: `whsec_it_thin_${randomBytes(12).toString('hex')}` };
  const ledger = () => ledgerOf(pipeline);
  const idOf = (stdout: string): string => /^(evt_\S+)/.exec(stdout)?.[1] ?? '';
  const finished = (eventId: string): Promise<LedgerRecord> => waitForLedgerRecord({ ledger: ledger(), eventId, predicate: (record) => record.status !== 'processing' });

  beforeAll(async () => {
    // No other Stripe configured: the pipeline starts its stand-in.
    env = useEnv({ STRIPE_API_BASE_URL: '', STRIPE_API_KEY: '' });
    const endpoints = { dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB as string, sqs: process.env.AWS_ENDPOINT_URL_SQS as string };
    pipeline = await startLocalPipeline({ endpoints, secrets: { account: [secrets.account], connect: [secrets.connect], thin: [secrets.thin] }, port: 0, resources: isolatedResources(), loggerFor: () => silent });
    stateFile = join(mkdtempSync(join(tmpdir(), 'cw-')), 'pipeline.json');
    const state = { url: pipeline.url, region: LOCAL_AWS.region, endpoints, resources: pipeline.resources, secrets: { account: [secrets.account], connect: [secrets.connect], thin: [secrets.thin] }, stripeStandInUrl: pipeline.stripeStandInUrl, pid: process.pid, startedAt: new Date().toISOString() };
    writeFileSync(stateFile, JSON.stringify(state));
  });

  afterAll(async () => {
    await pipeline?.stop();
    env?.restore();
  });

  test('the pipeline started its Stripe stand-in', () => {
    // Prepare
    const url = pipeline.stripeStandInUrl;

    // Act
    const loopback = url === undefined ? false : new URL(url).hostname === '127.0.0.1';

    // Assess
    expect(loopback).toBe(true);
  });

  test('every Accounts v2 type is posted, fetched from the stand-in and processed; v1.payout.failed is applied through its snapshot event', async () => {
    // Prepare
    const types = Object.keys(THIN_TRIGGER_TYPES);

    // Act
    const outcomes: Record<string, string | undefined> = {};
    for (const type of types) {
      const run = await runCli([triggerCommand()], ['trigger', type, '--account', ACCOUNT, '--state', stateFile]);
      expect(run.stdout).toContain('HTTP 200');
      outcomes[type] = (await finished(idOf(run.stdout)))?.status;
    }

    // Assess
    // A v1 thin event is recorded ignored once its snapshot event was fetched and processed in its place.
    const expected = Object.fromEntries(types.map((type) => [type, type.startsWith('v1.') ? 'ignored' : 'processed']));
    expect(outcomes).toEqual(expected);
    const snapshots = await ledger().list({ nowMs: Date.now(), eventType: 'payout.failed', limit: 10 });
    expect(snapshots).toEqual([expect.objectContaining({ status: 'processed', account: ACCOUNT })]);
  });

  test('--eventbridge puts an EventBridge delivery straight into the queue, processed like a webhook one', async () => {
    // Prepare
    const args = ['trigger', 'v2.core.account[requirements].updated', '--account', ACCOUNT, '--eventbridge', '--state', stateFile];

    // Act
    const run = await runCli([triggerCommand()], args);
    const record = await finished(idOf(run.stdout));
    const shown = await runCli([accountsCommand()], ['accounts', 'show', ACCOUNT, '--state', stateFile]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('as an EventBridge delivery');
    expect(record?.status).toBe('processed');
    expect((JSON.parse(shown.stdout) as { modes: { test: { profile: { accountsApi: string } } } }).modes.test.profile.accountsApi).toBe('v2');
  });

  test('--eventbridge with a v1 type puts the snapshot event, wrapped as EventBridge delivers it, into the queue', async () => {
    // Prepare
    const args = ['trigger', 'account.updated', '--account', ACCOUNT, '--eventbridge', '--state', stateFile];

    // Act
    const run = await runCli([triggerCommand()], args);
    const record = await finished(idOf(run.stdout));

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('account.updated  → queue as an EventBridge delivery');
    expect(record).toMatchObject({ status: 'processed', eventType: 'account.updated', account: ACCOUNT });
  });

  test('--eventbridge with --url is a usage error: the delivery goes into the local queue, not over HTTP', async () => {
    // Prepare
    const args = ['trigger', 'account.updated', '--eventbridge', '--url', 'http://127.0.0.1:9', '--secret', 'whsec_unused_0123456789'];

    // Act
    const run = await runCli([triggerCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--eventbridge puts the event into the local pipeline\'s queue');
  });
});
