import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ConfigurationError, describeError } from '../core/errors';
import { connectProjections } from '../core/handlers';
import { createHandlerRegistry } from '../core/handler-registry';
import type { HandlerRegistry } from '../core/handler-registry';
import { AcceptedModes, isAcceptedModes } from '../core/livemode-policy';
import type { Logger } from '../core/ports';
import { RecordOutcome, createEventProcessor } from '../core/process-event';
import type { WorkerDependencies } from '../core/process-event';
import { createDocumentClient, createSecretsManagerClient } from '../adapters/aws-clients';
import { loadStripeApiKey } from '../adapters/stripe-api-key';
import { ledgerPolicyFromEnv, requireEnv } from '../adapters/config';
import { createDynamoDbAccountState } from '../adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../adapters/dynamodb-event-ledger';
import { createStripeClientFactory } from '../adapters/stripe-client';
import { customHandlers } from '../custom/handlers';

/** The registry the worker uses: built-in projections plus the platform's custom handlers. */
export const defaultRegistry = (): HandlerRegistry => createHandlerRegistry({ projections: connectProjections, custom: customHandlers });

/** `ACCEPTED_LIVEMODES`: both (default), live or test. */
export const acceptedModesFromEnv = (env: NodeJS.ProcessEnv): AcceptedModes => {
  const value = env.ACCEPTED_LIVEMODES ?? AcceptedModes.both;
  if (!isAcceptedModes(value)) throw new ConfigurationError({ detail: `ACCEPTED_LIVEMODES must be both, live or test, got "${value}"` });
  return value;
};

/**
 * The worker's adapters, from the process environment, and `prepare`, to await before each batch: custom
 * handlers get their Stripe client from an API key read once from Secrets Manager (`STRIPE_API_KEY_SECRET_ID`)
 * or taken from `STRIPE_API_KEY`; without custom handlers nothing is read.
 */
export const workerDependenciesFromEnv = (options: {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** @default defaultRegistry() */
  readonly registry?: HandlerRegistry;
}): WorkerDependencies & { readonly prepare: () => Promise<void> } => {
  const client = createDocumentClient();
  const stateTableName = requireEnv(options.env, 'STATE_TABLE_NAME');
  const registry = options.registry ?? defaultRegistry();
  const needsStripe = registry.types.some((type) => registry.find(type).custom.length > 0);
  let apiKey = options.env.STRIPE_API_KEY;
  let loading: Promise<void> | undefined;
  let secretsManager: SecretsManagerClient | undefined;
  const prepare = async (): Promise<void> => {
    if (!needsStripe) return;
    // The Secrets Manager client is built once, and only by a worker with custom handlers.
    loading ??= loadStripeApiKey({ env: options.env, client: () => (secretsManager ??= createSecretsManagerClient()) }).then(
      (key) => {
        apiKey = key;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    await loading;
  };
  return {
    prepare,
    ledger: createDynamoDbEventLedger({ client, tableName: requireEnv(options.env, 'LEDGER_TABLE_NAME'), stateTableName, policy: ledgerPolicyFromEnv(options.env) }),
    state: createDynamoDbAccountState({ client, tableName: stateTableName }),
    registry,
    acceptedModes: acceptedModesFromEnv(options.env),
    stripeFor: (account) => createStripeClientFactory({ apiKey, baseUrl: options.env.STRIPE_API_BASE_URL })(account),
    clock: Date.now,
    logger: options.logger,
  };
};

/**
 * An SQS handler reporting partial batch failures: records run side by side, and only those that must be
 * retried (a failed handler, an event in flight elsewhere, a body that is no event, an unreachable ledger)
 * are returned in `batchItemFailures`.
 */
export const createWorkerHandler = (deps: WorkerDependencies & { readonly prepare?: () => Promise<void> }) => {
  const processRecord = createEventProcessor(deps);
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    // A failure here (the API key's secret unreadable) fails the whole batch, which is retried.
    await deps.prepare?.();
    const results = await Promise.all(
      event.Records.map(async (record) => {
        try {
          const replayId = record.messageAttributes?.replayId?.stringValue;
          const outcome = await processRecord({
            messageId: record.messageId,
            body: record.body,
            receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
            ...(replayId === undefined ? {} : { replay: { id: replayId, force: record.messageAttributes?.replayForce?.stringValue === 'true' } }),
          });
          return { messageId: record.messageId, retry: outcome === RecordOutcome.retry };
        } catch (error) {
          deps.logger.error('record failed', { messageId: record.messageId, reason: describeError(error) });
          return { messageId: record.messageId, retry: true };
        }
      }),
    );
    return { batchItemFailures: results.filter((result) => result.retry).map(({ messageId }) => ({ itemIdentifier: messageId })) };
  };
};
