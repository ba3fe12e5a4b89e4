import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type Stripe from 'stripe';
import { ConfigurationError, describeError } from '../core/errors';
import { connectProjections } from '../core/handlers';
import { accountsV2Projections } from '../core/handlers/v2';
import { createHandlerRegistry } from '../core/handler-registry';
import type { HandlerRegistry } from '../core/handler-registry';
import { AcceptedModes, isAcceptedModes } from '../core/livemode-policy';
import type { Logger } from '../core/ports';
import { RecordOutcome, createEventProcessor } from '../core/process-event';
import type { WorkerDependencies } from '../core/process-event';
import { backoffSeconds } from '../core/retry-backoff';
import type { MessageDeferral } from '../core/retry-backoff';
import type { StripeV2Reader } from '../core/thin-handler';
import { createSecretsManagerClient, createSqsClient } from '../adapters/aws-clients';
import { createDocumentClient } from '../adapters/dynamodb-documents';
import { loadStripeApiKey } from '../adapters/stripe-api-key';
import { ledgerPolicyFromEnv, requireEnv } from '../adapters/config';
import { createDynamoDbAccountState } from '../adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../adapters/dynamodb-event-ledger';
import { createDynamoDbScopeDirectory } from '../adapters/dynamodb-scope-directory';
import { createSqsMessageDeferral } from '../adapters/sqs-message-deferral';
import { createStripeClientFactory, loadStripe } from '../adapters/stripe-client';
import { createStripeV2Reader } from '../adapters/stripe-v2-reader';
import { customHandlers } from '../custom/handlers';

/** The registry the worker uses: built-in projections (v1 and Accounts v2 thin events) plus the platform's custom handlers. */
export const defaultRegistry = (): HandlerRegistry => createHandlerRegistry({ projections: connectProjections, custom: customHandlers, thin: accountsV2Projections });

/** `ACCEPTED_LIVEMODES`: both (default), live or test. */
export const acceptedModesFromEnv = (env: NodeJS.ProcessEnv): AcceptedModes => {
  const value = env.ACCEPTED_LIVEMODES ?? AcceptedModes.both;
  if (!isAcceptedModes(value)) throw new ConfigurationError({ detail: `ACCEPTED_LIVEMODES must be both, live or test, got "${value}"` });
  return value;
};

/** The platform's API key, read at most once (Secrets Manager's client built only then); a failed read is tried again next time. */
const apiKeyLoader = (env: NodeJS.ProcessEnv): (() => Promise<string | undefined>) => {
  let secretsManager: SecretsManagerClient | undefined;
  let loading: Promise<string | undefined> | undefined;
  return () =>
    (loading ??= loadStripeApiKey({ env, client: () => (secretsManager ??= createSecretsManagerClient()) }).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
};

/**
 * What thin events need: a v2 reader with the platform's API key, read when the first thin event arrives, and,
 * with `QUEUE_URL`, the deferral that backs off messages while Stripe is unavailable.
 */
export const thinDependenciesFromEnv = (
  env: NodeJS.ProcessEnv,
  apiKey: () => Promise<string | undefined> = apiKeyLoader(env),
): { readonly stripeV2: StripeV2Reader; readonly deferral?: MessageDeferral } => {
  const queueUrl = env.QUEUE_URL?.trim();
  return {
    stripeV2: createStripeV2Reader({ apiKey, baseUrl: env.STRIPE_API_BASE_URL }),
    ...(queueUrl === undefined || queueUrl === '' ? {} : { deferral: createSqsMessageDeferral({ client: createSqsClient(), queueUrl }) }),
  };
};

/**
 * The worker's adapters, from the process environment, and `prepare`, to await before each batch: custom
 * handlers get their Stripe client from an API key read once from Secrets Manager (`STRIPE_API_KEY_SECRET_ID`)
 * or taken from `STRIPE_API_KEY`; without custom handlers `prepare` reads nothing. The same key, read at most
 * once, serves the thin-event reader when the first thin event arrives.
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
  const apiKey = apiKeyLoader(options.env);
  let stripeClients: ((account: string | undefined) => Stripe) | undefined;
  let loading: Promise<void> | undefined;
  const prepare = async (): Promise<void> => {
    if (!needsStripe) return;
    loading ??= Promise.all([apiKey(), loadStripe()]).then(
      ([key, stripe]) => {
        stripeClients = createStripeClientFactory({ apiKey: key, baseUrl: options.env.STRIPE_API_BASE_URL, stripe });
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
    scopes: createDynamoDbScopeDirectory({ client, tableName: stateTableName }),
    registry,
    acceptedModes: acceptedModesFromEnv(options.env),
    stripeFor: (account) => {
      if (stripeClients === undefined) throw new ConfigurationError({ detail: 'a Stripe client was asked for before the worker prepared the batch' });
      return stripeClients(account);
    },
    ...thinDependenciesFromEnv(options.env, apiKey),
    clock: Date.now,
    logger: options.logger,
  };
};

/** A record the event processor asked to keep on the queue (a failed handler, an event in flight elsewhere), already logged. */
class RetryLater extends Error {
  constructor() {
    super('left on the queue to be retried');
    this.name = 'RetryLater';
  }
}

/**
 * An SQS handler reporting partial batch failures through Powertools' BatchProcessor: records run side by side,
 * and only those that must be retried (a failed handler, an event in flight elsewhere, a body that is no event, an
 * unreachable ledger, Stripe unavailable for a thin event) are returned in `batchItemFailures`. It fits the
 * exactly-once flow because the ledger, not the batch, decides what runs: the processor only collects which
 * messages to keep. A batch that fails whole is reported like any other (`throwOnFullBatchFailure: false`).
 */
export const createWorkerHandler = (deps: WorkerDependencies & { readonly prepare?: () => Promise<void>; readonly deferral?: MessageDeferral }) => {
  const processRecord = createEventProcessor(deps);
  /** Back-off for Stripe outages: the message stays (a batch item failure) and comes back later; a failed deferral only shortens the wait. */
  const deferLater = async (record: SQSRecord, receiveCount: number): Promise<void> => {
    if (deps.deferral === undefined) return;
    const seconds = backoffSeconds({ receiveCount });
    await deps.deferral.defer({ receiptHandle: record.receiptHandle, seconds }).then(
      () => deps.logger.info('message deferred', { messageId: record.messageId, seconds, receiveCount }),
      (error: unknown) => deps.logger.warn('message could not be deferred; it returns after the visibility timeout', { messageId: record.messageId, reason: describeError(error) }),
    );
  };
  const handleRecord = async (record: SQSRecord): Promise<RecordOutcome> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    let outcome: RecordOutcome;
    try {
      const replayId = record.messageAttributes?.replayId?.stringValue;
      outcome = await processRecord({
        messageId: record.messageId,
        body: record.body,
        receiveCount,
        ...(replayId === undefined ? {} : { replay: { id: replayId, force: record.messageAttributes?.replayForce?.stringValue === 'true' } }),
      });
    } catch (error) {
      deps.logger.error('record failed', { messageId: record.messageId, reason: describeError(error) });
      throw error;
    }
    if (outcome === RecordOutcome.retryLater) await deferLater(record, receiveCount);
    if (outcome === RecordOutcome.retry || outcome === RecordOutcome.retryLater) throw new RetryLater();
    return outcome;
  };
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // A failure here (the API key's secret unreadable) fails the whole invocation, and the batch is retried.
    await deps.prepare?.();
    // A processor per batch: it keeps the batch's results in its own fields, and the local pipeline's pollers call
    // one handler with several batches at once (Lambda gives an instance one batch at a time).
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false, processInParallel: true, ...(context === undefined ? {} : { context }) });
  };
};
