import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoDbClient, createSqsClient } from '../functions/adapters/aws-clients';
import type { HandlerRegistry } from '../functions/core/handler-registry';
import type { Logger } from '../functions/core/ports';
import { createIngestHandler, ingestDependenciesFromEnv } from '../functions/ingest/create-handler';
import { createWorkerHandler, workerDependenciesFromEnv } from '../functions/worker/create-handler';
import { LOCAL_AWS } from './emulators';
import { startHttpApiServer } from './http-api-server';
import { ensureLedgerTable, ensureQueues, ensureStateTable } from './resources';
import type { LocalResourceSettings, LocalResources } from './resources';
import { startSqsPoller } from './sqs-poller';
import { startLocalStripe } from './stripe-stand-in';

/** Where the emulators listen. */
export interface EmulatorEndpoints {
  readonly dynamoDb: string;
  readonly sqs: string;
}

/** Settings of the local pipeline; every one has a default fit for `npm start`. */
export interface PipelineOptions {
  readonly endpoints: EmulatorEndpoints;
  readonly secrets: { readonly account: readonly string[]; readonly connect: readonly string[]; readonly thin?: readonly string[] };
  /** @default 4242 (0 picks a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default the default table and queue names */
  readonly resources?: Partial<LocalResourceSettings>;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 2 */
  readonly pollers?: number;
  /** @default 300 (the ledger lease; keep it at or below the visibility timeout) */
  readonly leaseSeconds?: number;
  /** @default the handlers of `functions/core/handlers` */
  readonly registry?: HandlerRegistry;
  readonly loggerFor: (service: 'ingest' | 'worker' | 'local') => Logger;
}

/** A running pipeline. */
export interface LocalPipeline {
  readonly url: string;
  readonly resources: LocalResources;
  /** The Stripe stand-in the worker reads thin events from, when no other Stripe was configured. */
  readonly stripeStandInUrl?: string;
  stop(): Promise<void>;
}

/** Defaults shared by `npm start` and the CLI. */
export const DEFAULT_RESOURCES: LocalResourceSettings = {
  ledgerTableName: 'connect-webhooks-ledger',
  stateTableName: 'connect-webhooks-state',
  queueName: 'connect-webhooks-events',
  deadLetterQueueName: 'connect-webhooks-events-dlq',
  visibilityTimeoutSeconds: 300,
  maxReceiveCount: 5,
};

/**
 * Points the AWS SDK at the emulators through the standard settings, exactly as a deployment would point it
 * at AWS: nothing below this line knows it runs locally.
 */
export const useEmulatorEndpoints = (endpoints: EmulatorEndpoints): void => {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // Emulators sharing a laptop's cores with a load can pause for seconds (a JVM collecting, say), which a
    // function's 2 s per attempt would turn into retries; a setting the environment gives wins.
    AWS_REQUEST_TIMEOUT_MS: process.env.AWS_REQUEST_TIMEOUT_MS ?? String(LOCAL_REQUEST_TIMEOUT_MS),
  });
};

/** Per-attempt timeout of AWS calls in the local pipeline, in ms. */
export const LOCAL_REQUEST_TIMEOUT_MS = 10_000;

/** Settings of the worker side alone: one queue, its tables (from `env`) and the poller's shape. */
export interface LocalWorkerOptions {
  readonly sqs: SQSClient;
  /** The worker's settings, as its Lambda gets them: `LEDGER_TABLE_NAME`, `STATE_TABLE_NAME`, `LEDGER_LEASE_SECONDS`, … */
  readonly env: NodeJS.ProcessEnv;
  readonly queueUrl: string;
  readonly visibilityTimeoutSeconds: number;
  readonly batchSize: number;
  readonly pollers: number;
  /** @default the handlers of `functions/core/handlers` plus the custom ones */
  readonly registry?: HandlerRegistry;
  readonly workerLogger: Logger;
  readonly pollerLogger: Logger;
}

/**
 * The worker side alone: the worker handler behind the SQS poller (Lambda's event source mapping) for one
 * queue. `startLocalPipeline` runs it beside the ingest; `local/worker-process.ts` runs it as its own process.
 */
export const startLocalWorker = async (options: LocalWorkerOptions): Promise<{ stop(): Promise<void> }> => {
  const worker = createWorkerHandler(workerDependenciesFromEnv({ env: options.env, logger: options.workerLogger, ...(options.registry ? { registry: options.registry } : {}) }));
  const queueArn = (await options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const queueName = options.queueUrl.split('/').pop() ?? '';
  return startSqsPoller({
    client: options.sqs,
    handler: worker,
    logger: options.pollerLogger,
    settings: {
      queueUrl: options.queueUrl,
      queueArn: queueArn ?? `arn:aws:sqs:${LOCAL_AWS.region}:000000000000:${queueName}`,
      batchSize: options.batchSize,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      waitTimeSeconds: 1,
      concurrency: options.pollers,
    },
  });
};

/** Creates the resources, then starts the HTTP API stand-in (ingest) and the event source mapping (worker). */
export const startLocalPipeline = async (options: PipelineOptions): Promise<LocalPipeline> => {
  useEmulatorEndpoints(options.endpoints);
  const settings = { ...DEFAULT_RESOURCES, ...options.resources };
  const sqs = createSqsClient();
  const dynamoDb = createDynamoDbClient();
  await Promise.all([ensureLedgerTable(dynamoDb, settings.ledgerTableName), ensureStateTable(dynamoDb, settings.stateTableName)]);
  dynamoDb.destroy();
  const queues = await ensureQueues(sqs, settings);
  const resources: LocalResources = { ledgerTableName: settings.ledgerTableName, stateTableName: settings.stateTableName, ...queues };
  const stripe = await startLocalStripe(process.env);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...stripe.env,
    QUEUE_URL: resources.queueUrl,
    LEDGER_TABLE_NAME: resources.ledgerTableName,
    STATE_TABLE_NAME: resources.stateTableName,
    LEDGER_LEASE_SECONDS: String(options.leaseSeconds ?? settings.visibilityTimeoutSeconds),
    STRIPE_WEBHOOK_SECRET: options.secrets.account.join(','),
    STRIPE_CONNECT_WEBHOOK_SECRET: options.secrets.connect.join(','),
    STRIPE_THIN_WEBHOOK_SECRET: (options.secrets.thin ?? []).join(','),
  };
  // The ingest is built first: a setting it refuses stops the start before any poller runs.
  const ingest = createIngestHandler({ deps: ingestDependenciesFromEnv(env), logger: options.loggerFor('ingest') });
  const poller = await startLocalWorker({
    sqs,
    env,
    queueUrl: resources.queueUrl,
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
    batchSize: options.batchSize ?? 10,
    pollers: options.pollers ?? 2,
    ...(options.registry ? { registry: options.registry } : {}),
    workerLogger: options.loggerFor('worker'),
    pollerLogger: options.loggerFor('local'),
  });
  const server = await startHttpApiServer({ port: options.port ?? 4242, host: options.host ?? '127.0.0.1', handler: ingest, isReady: () => true }).catch(async (error: unknown) => {
    // A busy port must not leave the poller running behind the error.
    await poller.stop();
    await stripe.standIn?.stop();
    throw error;
  });
  return {
    url: server.url,
    resources,
    ...(stripe.standIn === undefined ? {} : { stripeStandInUrl: stripe.standIn.url }),
    async stop() {
      await server.stop();
      await poller.stop();
      await stripe.standIn?.stop();
      sqs.destroy();
    },
  };
};
