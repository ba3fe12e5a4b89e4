import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretListsFromEnv } from '../functions/adapters/env-webhook-secrets';
import type { LocalResources } from './resources';

/**
 * The folder the local pipeline keeps its state in: `.local` in the checkout (git-ignored), or
 * `CONNECT_WEBHOOKS_LOCAL_DIR` (tests run `npm start` against a folder of their own).
 */
export const LOCAL_DIR = process.env.CONNECT_WEBHOOKS_LOCAL_DIR || join(__dirname, '..', '.local');
/** What `npm start` writes for the CLI: where everything is and which secrets sign test events. */
export const STATE_FILE = join(LOCAL_DIR, 'pipeline.json');
/** Held by the running `npm start`: one pipeline per checkout. */
export const LOCK_FILE = join(LOCAL_DIR, 'pipeline.lock');

/** Contents of the state file. */
export interface PipelineState {
  readonly url: string;
  readonly region: string;
  readonly endpoints: { readonly dynamoDb: string; readonly sqs: string };
  readonly resources: LocalResources;
  readonly secrets: { readonly account: readonly string[]; readonly connect: readonly string[]; readonly thin?: readonly string[] };
  /** The Stripe stand-in serving what `trigger` sends as thin events, when the pipeline started one. */
  readonly stripeStandInUrl?: string;
  readonly pid: number;
  readonly startedAt: string;
}

/** Writes the state file, readable by its owner only: it holds signing secrets. */
export const writePipelineState = (state: PipelineState): void => {
  mkdirSync(LOCAL_DIR, { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(STATE_FILE, 0o600);
};

/** Reads the state file, or undefined when no pipeline has been started in this checkout. */
export const readPipelineState = (file = STATE_FILE): PipelineState | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PipelineState) : undefined;

/** Development secrets, made once per checkout and kept so restarts sign and verify alike. */
const developmentSecrets = (): { account: string; connect: string; thin: string } => {
  const file = join(LOCAL_DIR, 'dev-secrets.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { account: string; connect: string; thin?: string }) : undefined;
  // A file written before the thin route existed gains a thin secret; the other two stay as they were.
  if (kept?.thin !== undefined) return { ...kept, thin: kept.thin };
  const fresh = () => `whsec_dev_${randomBytes(16).toString('hex')}`;
  const secrets = { account: kept?.account ?? fresh(), connect: kept?.connect ?? fresh(), thin: fresh() };
  mkdirSync(LOCAL_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
};

/** Secret lists from `STRIPE_WEBHOOK_SECRET` / `STRIPE_CONNECT_WEBHOOK_SECRET` / `STRIPE_THIN_WEBHOOK_SECRET`, or the development secrets. */
export const resolveLocalSecrets = (env: NodeJS.ProcessEnv): { account: readonly string[]; connect: readonly string[]; thin: readonly string[]; development: boolean } => {
  const { account, connect, thin } = secretListsFromEnv(env);
  if (account.length > 0 && connect.length > 0 && thin.length > 0) return { account, connect, thin, development: false };
  const dev = developmentSecrets();
  return { account: account.length > 0 ? account : [dev.account], connect: connect.length > 0 ? connect : [dev.connect], thin: thin.length > 0 ? thin : [dev.thin], development: true };
};
