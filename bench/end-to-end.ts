/**
 * Local end to end: the local pipeline in a child process, autocannon against POST /webhooks/connect with
 * pre-signed `account.updated` events (unique ids, 100 accounts), first a warm-up, then a fixed duration. Accepted
 * ids come from the 200 bodies; each one's send time is taken when autocannon builds its request, and its
 * processing time is the ledger's `processedAt`. Needs the SDK pointed at the emulators (useEmulatorEndpoints).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createDynamoDbClient, createSqsClient } from '../functions/adapters/aws-clients';
import { DEFAULT_RESOURCES } from '../local/pipeline';
import type { LocalResources } from '../local/resources';
import { eventFactory, template } from './lib/payloads';
import type { SignedEvent } from './lib/payloads';
import { stop, track } from './lib/processes';
import { percentile, round, sleep } from './lib/stats';

// autocannon ships no types; the little of its API used here.
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; average: number; max: number };
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  overallRate?: number;
  timeout?: number;
  requests: Array<AutocannonRequest & { setupRequest: (request: AutocannonRequest) => AutocannonRequest; onResponse: (status: number, body: string) => void }>;
}) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

const EVENT_TYPE = 'account.updated';

export interface EndToEndResult {
  readonly eventType: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmUpEvents: number;
  readonly pollers: number;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  /** As fast as 16 connections go: the ingest outruns the worker, so the queue grows for the whole run. */
  readonly saturated: PhaseFigures;
  /** Held to half the rate the worker sustained in the saturated phase. */
  readonly paced: PhaseFigures;
}

interface Load {
  readonly sentAt: Map<string, number>;
  readonly accepted: Set<string>;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: AutocannonResult;
  readonly signedDuringLoad: number;
}

const runLoad = async (options: {
  readonly url: string;
  readonly connections: number;
  readonly prefix: string;
  readonly pool: number;
  readonly duration?: number;
  readonly amount?: number;
  readonly overallRate?: number;
}): Promise<Load> => {
  const next = eventFactory({ template: template(EVENT_TYPE), prefix: options.prefix });
  const pool: SignedEvent[] = Array.from({ length: options.pool }, next);
  let used = 0;
  let signedDuringLoad = 0;
  const sentAt = new Map<string, number>();
  const accepted = new Set<string>();
  const startedAt = Date.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    timeout: 30,
    ...(options.duration === undefined ? {} : { duration: options.duration }),
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    requests: [
      {
        method: 'POST',
        path: '/webhooks/connect',
        // Called just before each request is written: the event's send time.
        setupRequest: (request) => {
          let event = pool[used];
          if (event === undefined) {
            event = next();
            signedDuringLoad += 1;
          } else {
            pool[used] = undefined as unknown as SignedEvent;
            used += 1;
          }
          sentAt.set(event.id, Date.now());
          return { ...request, body: event.body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': event.signature } };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          const id = (JSON.parse(body) as { id?: string }).id;
          if (id !== undefined) accepted.add(id);
        },
      },
    ],
  });
  return { sentAt, accepted, startedAt, endedAt: Date.now(), result, signedDuringLoad };
};

const startPipeline = async (options: { readonly dynamoDb: string; readonly sqs: string; readonly pollers: number }): Promise<{ child: ChildProcess; url: string; resources: LocalResources }> => {
  const child = track(
    fork(join(__dirname, 'pipeline-child.ts'), [options.dynamoDb, options.sqs, String(options.pollers)], {
      cwd: join(__dirname, '..'),
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
    'pipeline process',
  );
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the pipeline process did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the pipeline process exited (code ${code}) before it was ready`)));
      child.once('message', (message) => {
        clearTimeout(timer);
        const ready = message as { url: string; resources: LocalResources };
        resolve({ child, url: ready.url, resources: ready.resources });
      });
    });
  } catch (error) {
    await stop(child);
    throw error;
  }
};

/** Waits until every accepted event is `processed` in the ledger; returns each one's processedAt (epoch ms). */
const waitProcessed = async (options: { readonly ids: ReadonlySet<string>; readonly resources: LocalResources; readonly timeoutMs: number }): Promise<Map<string, number>> => {
  // An observer's patience: a page of the ledger Scan under load may take longer than a function's 2 s attempt.
  const calls = { maxAttempts: 3, connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 };
  const sqs = createSqsClient({ calls });
  const dynamoDb = createDynamoDbClient({ calls });
  const processed = new Map<string, number>();
  const deadline = Date.now() + options.timeoutMs;
  try {
    while (Date.now() < deadline) {
      // Cheap first: while the queue still holds messages there is no point scanning the ledger.
      const attributes = (
        await sqs.send(new GetQueueAttributesCommand({ QueueUrl: options.resources.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
      ).Attributes;
      const queued = Number(attributes?.ApproximateNumberOfMessages ?? 0) + Number(attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (queued === 0) {
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await dynamoDb.send(
            new ScanCommand({
              TableName: options.resources.ledgerTableName,
              ProjectionExpression: 'eventId, #status, processedAt',
              ExpressionAttributeNames: { '#status': 'status' },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const id = item.eventId?.S;
            const at = item.processedAt?.S;
            if (id !== undefined && at !== undefined && item.status?.S === 'processed' && options.ids.has(id)) processed.set(id, Date.parse(at));
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey !== undefined);
        if (processed.size >= options.ids.size) return processed;
      }
      await sleep(500);
    }
    return processed;
  } finally {
    sqs.destroy();
    dynamoDb.destroy();
  }
};

/** One measured phase: what autocannon saw, and when the accepted events were processed. */
export interface PhaseFigures {
  /** The rate autocannon was held to (all connections together), or undefined for as fast as it goes. */
  readonly offeredPerSecond?: number;
  readonly requests: { readonly ok: number; readonly non2xx: number; readonly errors: number; readonly timeouts: number };
  readonly acceptedPerSecond: number;
  readonly httpLatencyMs: { readonly p50: number; readonly p99: number; readonly mean: number; readonly max: number };
  readonly postToProcessedMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Accepted events over the time from the first request to the last of them processed. */
  readonly processedPerSecond: number;
  /** From the end of the load to the last accepted event processed. */
  readonly drainMs: number;
  readonly unprocessed: number;
  readonly signedDuringLoad: number;
}

const phase = async (options: {
  readonly url: string;
  readonly resources: LocalResources;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly prefix: string;
  readonly overallRate?: number;
}): Promise<PhaseFigures> => {
  const load = await runLoad({
    url: options.url,
    connections: options.connections,
    prefix: options.prefix,
    pool: options.overallRate === undefined ? 12_000 : Math.ceil(options.overallRate * options.durationSeconds * 1.2) + 100,
    duration: options.durationSeconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  const processed = await waitProcessed({ ids: load.accepted, resources: options.resources, timeoutMs: 180_000 });
  const latencies: number[] = [];
  let lastProcessed = load.endedAt;
  for (const [id, at] of processed) {
    const sent = load.sentAt.get(id);
    if (sent !== undefined) latencies.push(at - sent);
    lastProcessed = Math.max(lastProcessed, at);
  }
  return {
    ...(options.overallRate === undefined ? {} : { offeredPerSecond: options.overallRate }),
    requests: { ok: load.result['2xx'], non2xx: load.result.non2xx, errors: load.result.errors, timeouts: load.result.timeouts },
    acceptedPerSecond: Math.round(load.accepted.size / ((load.endedAt - load.startedAt) / 1000)),
    httpLatencyMs: { p50: load.result.latency.p50, p99: load.result.latency.p99, mean: round(load.result.latency.average, 1), max: load.result.latency.max },
    postToProcessedMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
    processedPerSecond: Math.round(processed.size / ((lastProcessed - load.startedAt) / 1000)),
    drainMs: lastProcessed - load.endedAt,
    unprocessed: load.accepted.size - processed.size,
    signedDuringLoad: load.signedDuringLoad,
  };
};

export const measureEndToEnd = async (options: {
  readonly endpoints: { readonly dynamoDb: string; readonly sqs: string };
  readonly durationSeconds: number;
  readonly connections: number;
  readonly warmUpEvents: number;
  readonly pollers: number;
  readonly log: (line: string) => void;
}): Promise<EndToEndResult> => {
  const pipeline = await startPipeline({ dynamoDb: options.endpoints.dynamoDb, sqs: options.endpoints.sqs, pollers: options.pollers });
  try {
    const tag = Date.now().toString(36);
    options.log(`  end to end: warm-up, ${options.warmUpEvents} events`);
    const warm = await runLoad({ url: pipeline.url, connections: options.connections, prefix: `warm${tag}x`, pool: options.warmUpEvents, amount: options.warmUpEvents });
    const warmed = await waitProcessed({ ids: warm.accepted, resources: pipeline.resources, timeoutMs: 120_000 });
    if (warm.accepted.size < options.warmUpEvents || warmed.size < warm.accepted.size) {
      throw new Error(`warm-up: ${warm.accepted.size}/${options.warmUpEvents} accepted, ${warmed.size} processed`);
    }
    const common = { url: pipeline.url, resources: pipeline.resources, connections: options.connections, durationSeconds: options.durationSeconds };
    options.log(`  end to end: saturating load, ${options.connections} connections for ${options.durationSeconds} s, then the drain`);
    const saturated = await phase({ ...common, prefix: `load${tag}x` });
    // Then below what the worker just sustained: latency without a growing backlog.
    const rate = Math.max(5, Math.round(saturated.processedPerSecond * 0.5));
    options.log(`  end to end: paced load, ${rate} events/s (half the processed rate) for ${options.durationSeconds} s`);
    const paced = await phase({ ...common, prefix: `paced${tag}x`, overallRate: rate });
    return {
      eventType: EVENT_TYPE,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmUpEvents: options.warmUpEvents,
      pollers: options.pollers,
      batchSize: 10,
      visibilityTimeoutSeconds: DEFAULT_RESOURCES.visibilityTimeoutSeconds,
      saturated,
      paced,
    };
  } finally {
    if (pipeline.child.connected) pipeline.child.send('stop');
    await Promise.race([new Promise((resolve) => pipeline.child.once('exit', resolve)), sleep(10_000)]);
    await stop(pipeline.child);
  }
};
