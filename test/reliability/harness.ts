import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { HandlerRegistry } from '../../functions/core/handler-registry';
import type { Logger } from '../../functions/core/ports';
import { LOCAL_AWS } from '../../local/emulators';
import { createIngestHandler, ingestDependenciesFromEnv } from '../../functions/ingest/create-handler';
import { startHttpApiServer } from '../../local/http-api-server';
import { startLocalPipeline } from '../../local/pipeline';
import type { EmulatorEndpoints, LocalPipeline } from '../../local/pipeline';
import { makeEvent, signPayload, stripeId } from '../support/event-factory';
import { isolatedResources, newTestSecrets, uniqueName as sharedUniqueName, writeStateFile } from '../support/pipeline-fixtures';
import type { SignedDelivery } from '../support/load-generator';

export const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Names unique to one test, so tests sharing the emulators never see each other's resources. */
/** A name unique to one reliability test. */
export const uniqueName = (prefix: string): string => sharedUniqueName(prefix, 'rel');

/**
 * Stoppers run after each test in reverse order of registration, each at most once, whether the test passed
 * or failed: every process and server a test starts is registered here right after it starts.
 */
export const useCleanup = (): { add(what: string, stop: () => Promise<unknown> | unknown): void } => {
  const stoppers: Array<{ what: string; stop: () => Promise<unknown> | unknown }> = [];
  afterEach(async () => {
    const failures: string[] = [];
    for (const { what, stop } of stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(`${what}: ${String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`cleanup failed:\n${failures.join('\n')}`);
  });
  return { add: (what, stop) => void stoppers.push({ what, stop }) };
};

const AWS_ENV = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS'] as const;

/**
 * `startLocalPipeline` (and the CLI) point this process's AWS settings at their emulators; this puts the
 * previous settings back, for tests that run against emulators of their own.
 */
export const saveAwsEnv = (): (() => void) => {
  const saved = AWS_ENV.map((name) => [name, process.env[name]] as const);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
};

/** The shared emulators of the global setup. */
export const sharedEndpoints = (): EmulatorEndpoints => {
  const dynamoDb = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const sqs = process.env.AWS_ENDPOINT_URL_SQS;
  if (dynamoDb === undefined || sqs === undefined) throw new Error('the emulator endpoints are not set: the global setup did not run');
  return { dynamoDb, sqs };
};

/** Clients for observing the emulators, bound to explicit endpoints (never to the changing environment). */
export const observers = (endpoints: EmulatorEndpoints) => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.dynamoDb, ...LOCAL_AWS, maxAttempts: 2 }));
  const sqs = new SQSClient({ endpoint: endpoints.sqs, ...LOCAL_AWS, maxAttempts: 2, useQueueUrlAsEndpoint: false });
  const scan = async (tableName: string, projection?: readonly string[]): Promise<Array<Record<string, unknown>>> => {
    const items: Array<Record<string, unknown>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(projection === undefined ? {} : { ProjectionExpression: projection.map((_, index) => `#a${index}`).join(', '), ExpressionAttributeNames: Object.fromEntries(projection.map((name, index) => [`#a${index}`, name])) }),
        }),
      );
      items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
      startKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (startKey !== undefined);
    return items;
  };
  return {
    /** Every ledger record, without the stored payloads. */
    ledger: async (tableName: string): Promise<LedgerRow[]> =>
      (await scan(tableName, ['eventId', 'status', 'attempts', 'outcome', 'leaseExpiresAt', 'lastError'])) as unknown as LedgerRow[],
    /** Every item of a Connect state table. */
    state: (tableName: string) => scan(tableName),
    /** Messages waiting or in flight on a queue. */
    depth: async (queueUrl: string): Promise<number> => {
      const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
      const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
      return names.reduce((sum, name) => sum + Number(result.Attributes?.[name] ?? 0), 0);
    },
    destroy: () => {
      documents.destroy();
      sqs.destroy();
    },
  };
};
export type Observers = ReturnType<typeof observers>;

/** The ledger attributes the suite checks. */
export interface LedgerRow {
  readonly eventId: string;
  readonly status: string;
  readonly attempts: number;
  readonly outcome?: Record<string, unknown>;
  readonly leaseExpiresAt?: number;
  readonly lastError?: string;
}

/** Polls until `probe` is true; the error names what was awaited and the last thing seen. */
export const eventually = async (probe: () => Promise<boolean | string>, what: string, timeoutMs: number, everyMs = 250): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'never probed';
  while (Date.now() < deadline) {
    try {
      const result = await probe();
      if (result === true) return;
      last = result;
    } catch (error) {
      last = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${String(last)}`);
};

/** An `account.updated` Connect event of its own connected account, so its PROFILE record is its alone. */
export const ownAccountEvent = (options: { readonly created?: number } = {}): { readonly id: string; readonly account: string; readonly body: string } => {
  const id = stripeId('evt');
  const account = `acct_${stripeId('x', 16).slice(2)}`;
  const event = makeEvent({ id, account, ...(options.created === undefined ? {} : { created: options.created }) });
  const data = event.data as { object: Record<string, unknown> };
  data.object = { ...data.object, id: account };
  return { id, account, body: JSON.stringify(event, null, 2) };
};

/** `count` distinct signed Connect deliveries, each of its own account. */
export const signedDeliveries = (count: number, secret: string): Array<SignedDelivery & { readonly account: string }> =>
  Array.from({ length: count }, () => {
    const event = ownAccountEvent();
    return { ...event, header: signPayload({ payload: event.body, secret }) };
  });

/** The PROFILE records of a state table, by account, with the event that wrote each. */
export const profilesByAccount = (items: ReadonlyArray<Record<string, unknown>>): Map<string, Array<Record<string, unknown>>> => {
  const result = new Map<string, Array<Record<string, unknown>>>();
  for (const item of items) {
    if (item.sk !== 'PROFILE') continue;
    const account = String(item.pk).split('#')[1] ?? '';
    result.set(account, [...(result.get(account) ?? []), item]);
  }
  return result;
};

/** Posts one signed body. */
export const postWebhook = (url: string, options: { readonly body: string; readonly header: string; readonly route?: 'account' | 'connect' }): Promise<Response> =>
  fetch(`${url}/webhooks/${options.route ?? 'connect'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': options.header },
    body: options.body,
    signal: AbortSignal.timeout(15_000),
  });

/** Runs `tasks` with at most `limit` at a time, results in order. */
export const mapLimit = async <T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
};

/** A local pipeline for one test, with its own tables and queues, and what the suite observes it with. */
export interface ReliabilityPipeline {
  readonly pipeline: LocalPipeline;
  readonly endpoints: EmulatorEndpoints;
  readonly secrets: { readonly account: string; readonly connect: string };
  readonly observe: Observers;
  stop(): Promise<void>;
}

/** Starts `startLocalPipeline` on a free loopback port against the given emulators (default: the shared ones). */
export const startReliabilityPipeline = async (options: {
  readonly endpoints?: EmulatorEndpoints;
  readonly registry?: HandlerRegistry;
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  readonly leaseSeconds?: number;
  readonly pollers?: number;
  readonly batchSize?: number;
  /** @default silent */
  readonly ingestLogger?: Logger;
} = {}): Promise<ReliabilityPipeline> => {
  const endpoints = options.endpoints ?? sharedEndpoints();
  const secrets = newTestSecrets('rel');
  const pipeline = await startLocalPipeline({
    endpoints,
    secrets: { account: [secrets.account], connect: [secrets.connect] },
    port: 0,
    resources: isolatedResources({ ...options, namespace: 'rel' }),
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.pollers === undefined ? {} : { pollers: options.pollers }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    loggerFor: (service) => (service === 'ingest' ? options.ingestLogger ?? silent : silent),
  });
  const observe = observers(endpoints);
  return {
    pipeline,
    endpoints,
    secrets,
    observe,
    async stop() {
      await pipeline.stop();
      observe.destroy();
    },
  };
};

/** A state file like the one `npm start` writes, so the in-process CLI finds this pipeline. */
export const stateFileFor = (harness: ReliabilityPipeline): string => writeStateFile(harness);

/** Counts, per event id, how often a custom handler ran: a registry-level witness of double execution. */
export const countingHandler = () => {
  const runs = new Map<string, number>();
  return {
    runs,
    handler: async ({ event }: { readonly event: { readonly id: string } }) => {
      runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
      return {};
    },
  };
};

/**
 * The ingest alone (HTTP API stand-in and ingest handler) in this process, for a queue whose worker runs
 * elsewhere; its SQS client follows this process's AWS settings.
 */
export const startIngestOnly = async (options: { readonly queueUrl: string; readonly secrets: { readonly account: string; readonly connect: string } }) => {
  const env = { QUEUE_URL: options.queueUrl, STRIPE_WEBHOOK_SECRET: options.secrets.account, STRIPE_CONNECT_WEBHOOK_SECRET: options.secrets.connect };
  const handler = createIngestHandler({ deps: ingestDependenciesFromEnv(env), logger: silent });
  return startHttpApiServer({ port: 0, handler, isReady: () => true });
};
