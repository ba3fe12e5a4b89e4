import { ConfigurationError } from '../core/errors';
import type { Logger } from '../core/ports';
import { recentlyActiveAccounts, reconcile } from '../core/reconcile';
import type { ScopeReport } from '../core/reconcile';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createSecretsManagerClient, createSqsClient } from '../adapters/aws-clients';
import { createDocumentClient } from '../adapters/dynamodb-documents';
import { requireEnv } from '../adapters/config';
import { createDynamoDbEventLedger } from '../adapters/dynamodb-event-ledger';
import { createDynamoDbReconcileCursors } from '../adapters/dynamodb-reconcile-cursors';
import { createSqsEventQueue } from '../adapters/sqs-event-queue';
import { loadStripeApiKey } from '../adapters/stripe-api-key';
import { createStripeClientFactory, loadStripe } from '../adapters/stripe-client';
import { createStripeEventSource } from '../adapters/stripe-event-source';

/** `RECONCILE_ACCOUNTS`: a comma-separated list of acct_ ids; empty means accounts with recent ledger activity. */
export const reconcileAccountsFromEnv = (env: NodeJS.ProcessEnv): readonly string[] => {
  const accounts = (env.RECONCILE_ACCOUNTS ?? '').split(',').map((account) => account.trim()).filter((account) => account !== '');
  const bad = accounts.find((account) => !/^acct_[A-Za-z0-9]+$/.test(account));
  if (bad !== undefined) throw new ConfigurationError({ detail: `RECONCILE_ACCOUNTS has "${bad}", not an acct_ id` });
  return accounts;
};

/** The reconciler's AWS clients, built once per cold start. */
export interface ReconcilerClients {
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly secretsManager: SecretsManagerClient;
}

/** The clients from the standard AWS settings. */
export const createReconcilerClients = (): ReconcilerClients => ({ documents: createDocumentClient(), sqs: createSqsClient(), secretsManager: createSecretsManagerClient() });

/**
 * One reconciliation run with the deployment's adapters: Stripe's Events API (key from Secrets Manager or
 * the environment), the ledger, the event queue and the cursors in the state table.
 */
export const runReconciliation = async (options: {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** @default createReconcilerClients() */
  readonly clients?: ReconcilerClients;
  readonly since?: number;
}): Promise<ScopeReport[]> => {
  const { env, logger } = options;
  const clients = options.clients ?? createReconcilerClients();
  const [apiKey, stripe] = await Promise.all([loadStripeApiKey({ env, client: () => clients.secretsManager }), loadStripe()]);
  if (apiKey === undefined) throw new ConfigurationError({ detail: 'no Stripe API key: set the secret STRIPE_API_KEY_SECRET_ID names (or STRIPE_API_KEY locally)' });
  const client = clients.documents;
  const stateTableName = requireEnv(env, 'STATE_TABLE_NAME');
  const ledger = createDynamoDbEventLedger({ client, tableName: requireEnv(env, 'LEDGER_TABLE_NAME'), stateTableName });
  const nowMs = Date.now();
  const configured = reconcileAccountsFromEnv(env);
  const accounts = configured.length > 0 ? configured : await recentlyActiveAccounts({ ledger, nowMs, days: Number(env.RECONCILE_ACTIVE_DAYS ?? 7) });
  return reconcile({
    source: createStripeEventSource({ stripeFor: createStripeClientFactory({ apiKey, baseUrl: env.STRIPE_API_BASE_URL, stripe }) }),
    ledger,
    queue: createSqsEventQueue({ client: clients.sqs, queueUrl: requireEnv(env, 'QUEUE_URL') }),
    cursors: createDynamoDbReconcileCursors({ client, tableName: stateTableName }),
    accounts,
    nowMs,
    logger,
    ...(options.since === undefined ? {} : { since: options.since }),
  });
};
