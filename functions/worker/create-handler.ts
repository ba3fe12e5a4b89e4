import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ConfigurationError, describeError } from '../core/errors';
import { connectProjections } from '../core/handlers';
import { accountsV2Projections } from '../core/handlers/v2';
import { createHandlerRegistry } from '../core/handler-registry';
import type { HandlerRegistry } from '../core/handler-registry';
import { AcceptedModes, isAcceptedModes } from '../core/livemode-policy';
import type { Logger } from '../core/ports';
import { RecordOutcome, createEventProcessor } from '../core/process-event';
import type { WorkerDependencies } from '../core/process-event';
import { createDocumentClient } from '../adapters/dynamodb-client';
import { createSecretsManagerClient } from '../adapters/secrets-manager-client';
import { loadStripeApiKey } from '../adapters/stripe-api-key';
import { ledgerPolicyFromEnv, requireEnv } from '../adapters/config';
import { createDynamoDbAccountState } from '../adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../adapters/dynamodb-event-ledger';
import { createStripeClientFactory } from '../adapters/stripe-client';
import { customHandlers } from '../custom/handlers';
import { backoffSeconds } from '../core/retry-backoff';
import type { MessageDeferral } from '../core/retry-backoff';
import type { StripeV2Reader } from '../core/thin-handler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsMessageDeferral } from '../adapters/sqs-message-deferral';
import { createStripeV2Reader } from '../adapters/stripe-v2-reader';

/** The registry the worker uses: built-in projections plus the platform's custom handlers. */
export const defaultRegistry = (): HandlerRegistry => createHandlerRegistry({ projections: connectProjections, custom: customHandlers, thin: accountsV2Projections });

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
}): WorkerDependencies & { readonly prepare: () => Promise<void>; readonly deferral?: MessageDeferral } => {
  const client = createDocumentClient();
  const stateTableName = requireEnv(options.env, 'STATE_TABLE_NAME');
  const registry = options.registry ?? defaultRegistry();
  const needsStripe = registry.types.some((type) => registry.find(type).custom.length > 0);
  let apiKey = options.env.STRIPE_API_KEY;
  let loading: Promise<void> | undefined;
  const prepare = async (): Promise<void> => {
    if (!needsStripe) return;
    loading ??= loadStripeApiKey({ env: options.env, client: createSecretsManagerClient }).then(
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
    ...thinDependenciesFromEnv(options.env),
    clock: Date.now,
    logger: options.logger,
  };
};

/**
 * What thin events need: a v2 reader with the platform's API key, read from Secrets Manager
 * (`STRIPE_API_KEY_SECRET_ID`) or `STRIPE_API_KEY` when the first thin event arrives, and, with `QUEUE_URL`, the
 * deferral that backs off messages while Stripe is unavailable.
 */
export const thinDependenciesFromEnv = (env: NodeJS.ProcessEnv): { readonly stripeV2: StripeV2Reader; readonly deferral?: MessageDeferral } => {
  const queueUrl = env.QUEUE_URL?.trim();
  return {
    stripeV2: createStripeV2Reader({ apiKey: () => loadStripeApiKey({ env, client: createSecretsManagerClient }), baseUrl: env.STRIPE_API_BASE_URL }),
    ...(queueUrl === undefined || queueUrl === '' ? {} : { deferral: createSqsMessageDeferral({ client: new SQSClient({ useQueueUrlAsEndpoint: false }), queueUrl }) }),
  };
};

/**
 * An SQS handler reporting partial batch failures: records run side by side, and only those that must be
 * retried (a failed handler, an event in flight elsewhere, a body that is no event, an unreachable ledger)
 * are returned in `batchItemFailures`.
 */
export const createWorkerHandler = (deps: WorkerDependencies & { readonly prepare?: () => Promise<void>; readonly deferral?: MessageDeferral }) => {
  const processRecord = createEventProcessor(deps);
  /** Back-off for Stripe outages: the message stays (a batch item failure) and comes back later; a failed deferral only shortens the wait. */
  const deferLater = async (record: SQSEvent['Records'][number], receiveCount: number): Promise<void> => {
    if (deps.deferral === undefined) return;
    const seconds = backoffSeconds({ receiveCount });
    await deps.deferral.defer({ receiptHandle: record.receiptHandle, seconds }).then(
      () => deps.logger.info('message deferred', { messageId: record.messageId, seconds, receiveCount }),
      (error: unknown) => deps.logger.warn('message could not be deferred; it returns after the visibility timeout', { messageId: record.messageId, reason: describeError(error) }),
    );
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    // A failure here (the API key's secret unreadable) fails the whole batch, which is retried.
    await deps.prepare?.();
    const results = await Promise.all(
      event.Records.map(async (record) => {
        try {
          const replayId = record.messageAttributes?.replayId?.stringValue;
          const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
          const outcome = await processRecord({
            messageId: record.messageId,
            body: record.body,
            receiveCount,
            ...(replayId === undefined ? {} : { replay: { id: replayId, force: record.messageAttributes?.replayForce?.stringValue === 'true' } }),
          });
          if (outcome === RecordOutcome.retryLater) await deferLater(record, receiveCount);
          return { messageId: record.messageId, retry: outcome === RecordOutcome.retry || outcome === RecordOutcome.retryLater };
        } catch (error) {
          deps.logger.error('record failed', { messageId: record.messageId, reason: describeError(error) });
          return { messageId: record.messageId, retry: true };
        }
      }),
    );
    return { batchItemFailures: results.filter((result) => result.retry).map(({ messageId }) => ({ itemIdentifier: messageId })) };
  };
};
