import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigurationError } from '../core/errors';
import type { EventQueue, Logger } from '../core/ports';
import { accountsV2Projections } from '../core/handlers/v2';
import { apiKeyMode, planScopes, reconcile } from '../core/reconcile';
import type { EventSource, RunReport, ScopePlan } from '../core/reconcile';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSecretsManagerClient, createSqsClient } from '../adapters/aws-clients';
import { createDocumentClient } from '../adapters/dynamodb-documents';
import { requireEnv } from '../adapters/config';
import { createDynamoDbLedgerPresence } from '../adapters/dynamodb-ledger-presence';
import { createDynamoDbReconcileCursors, createDynamoDbReconcileLease } from '../adapters/dynamodb-reconciler-store';
import { createDynamoDbScopeDirectory } from '../adapters/dynamodb-scope-directory';
import { createSqsEventQueue } from '../adapters/sqs-event-queue';
import { loadStripeApiKey } from '../adapters/stripe-api-key';
import { createStripeClientFactory, loadStripe } from '../adapters/stripe-client';
import { createStripeEventsV1Source } from '../adapters/stripe-event-source';
import { createStripeV2EventSource } from '../adapters/stripe-v2-event-source';

/** `RECONCILE_ACCOUNTS`: a comma-separated list of acct_ ids; empty means the directory's recently active accounts. */
export const reconcileAccountsFromEnv = (env: NodeJS.ProcessEnv): readonly string[] => {
  const accounts = (env.RECONCILE_ACCOUNTS ?? '').split(',').map((account) => account.trim()).filter((account) => account !== '');
  const bad = accounts.find((account) => !/^acct_[A-Za-z0-9]+$/.test(account));
  if (bad !== undefined) throw new ConfigurationError({ detail: `RECONCILE_ACCOUNTS has "${bad}", not an acct_ id` });
  return accounts;
};

/** What a reconciliation run reports: the run, and the accounts the directory gave it or skipped. */
export type ReconciliationReport = RunReport & { readonly plan: ScopePlan };

/** Everything one run needs besides the environment: shared by the Lambda handler and `connect-webhooks reconcile`. */
export interface ReconciliationTarget {
  readonly apiKey: string;
  readonly stripeBaseUrl?: string | undefined;
  readonly documentClient: DynamoDBDocumentClient;
  readonly ledgerTableName: string;
  readonly stateTableName: string;
  readonly queue: EventQueue;
  /** Accounts to check; empty for the directory's accounts active in the last `activeDays`. */
  readonly accounts: readonly string[];
  readonly activeDays: number;
  readonly logger: Logger;
  /** Epoch ms after which no page starts. */
  readonly deadlineMs: number;
  readonly since?: number;
  /** The sources each scope is checked against. @default the v1 Events API and the v2 events (thin) */
  readonly sources?: readonly EventSource[];
  /** Scopes read side by side. @default 4 */
  readonly concurrency?: number;
  readonly clock?: () => number;
}

/** One reconciliation run with DynamoDB, SQS and Stripe adapters. */
export const reconcileWith = async (target: ReconciliationTarget): Promise<ReconciliationReport> => {
  const { documentClient: client, logger } = target;
  const clock = target.clock ?? Date.now;
  const state = { client, tableName: target.stateTableName };
  let plan: ScopePlan = { accounts: target.accounts, skipped: [] };
  if (target.accounts.length === 0) {
    const records = await createDynamoDbScopeDirectory(state).activeSince({ since: Math.floor(clock() / 1000) - target.activeDays * 86_400 });
    plan = planScopes({ records, keyMode: apiKeyMode(target.apiKey) });
    for (const skipped of plan.skipped) logger.info('reconcile scope skipped', { scope: skipped.account, mode: skipped.mode, reason: skipped.reason });
  }
  const stripeFor = createStripeClientFactory({ apiKey: target.apiKey, baseUrl: target.stripeBaseUrl, stripe: await loadStripe() });
  const report = await reconcile({
    // v2: only the types a projection handles (17, within the list's 20-type filter); `v1.*` thin events are the v1
    // source's snapshot events again.
    sources: target.sources ?? [createStripeEventsV1Source({ stripeFor }), createStripeV2EventSource({ stripe: stripeFor(undefined), types: Object.keys(accountsV2Projections) })],
    presence: createDynamoDbLedgerPresence({ client, tableName: target.ledgerTableName }),
    queue: target.queue,
    cursors: createDynamoDbReconcileCursors(state),
    lease: createDynamoDbReconcileLease(state),
    accounts: plan.accounts,
    logger,
    clock,
    deadlineMs: target.deadlineMs,
    runId: `run_${randomUUID()}`,
    ...(target.concurrency === undefined ? {} : { concurrency: target.concurrency }),
    ...(target.since === undefined ? {} : { since: target.since }),
  });
  return { ...report, plan };
};

/** The reconciler's AWS clients, built once per cold start. */
export interface ReconcilerClients {
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly secretsManager: SecretsManagerClient;
}

/** The clients from the standard AWS settings. */
export const createReconcilerClients = (): ReconcilerClients => ({ documents: createDocumentClient(), sqs: createSqsClient(), secretsManager: createSecretsManagerClient() });

/** Stop starting pages this long before the function's timeout: a page takes well under this. */
export const DEADLINE_MARGIN_MS = 30_000;

/**
 * One scheduled run with the deployment's adapters: the API key (Secrets Manager or the environment), the
 * tables, the queue, and a deadline `DEADLINE_MARGIN_MS` before the function's remaining time runs out.
 */
export const runReconciliation = async (options: {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly remainingMs: number;
  /** @default createReconcilerClients() */
  readonly clients?: ReconcilerClients;
  readonly since?: number;
}): Promise<ReconciliationReport> => {
  const { env, logger } = options;
  const clients = options.clients ?? createReconcilerClients();
  const apiKey = await loadStripeApiKey({ env, client: () => clients.secretsManager });
  if (apiKey === undefined) throw new ConfigurationError({ detail: 'no Stripe API key: set the secret STRIPE_API_KEY_SECRET_ID names (or STRIPE_API_KEY locally)' });
  return reconcileWith({
    apiKey,
    stripeBaseUrl: env.STRIPE_API_BASE_URL,
    documentClient: clients.documents,
    ledgerTableName: requireEnv(env, 'LEDGER_TABLE_NAME'),
    stateTableName: requireEnv(env, 'STATE_TABLE_NAME'),
    queue: createSqsEventQueue({ client: clients.sqs, queueUrl: requireEnv(env, 'QUEUE_URL') }),
    accounts: reconcileAccountsFromEnv(env),
    activeDays: Number(env.RECONCILE_ACTIVE_DAYS ?? 7),
    logger,
    deadlineMs: Date.now() + Math.max(options.remainingMs - DEADLINE_MARGIN_MS, 0),
    ...(options.since === undefined ? {} : { since: options.since }),
  });
};
