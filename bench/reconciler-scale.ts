/**
 * Reconciler at scale: a ledger of a few hundred thousand records over 3,000 accounts in DynamoDB Local (seeded
 * with BatchWriteItem), the accounts' directory records, and a fake Stripe Events API on loopback that lists each
 * account's events of the last three days (80 % of them on 5 % of the accounts), a hundred of which the ledger
 * lacks. One reconciler run (bench/reconciler-child.ts, a process of its own) per ledger size, each with a fresh
 * state table (no cursors: a first run, three days back), so only the ledger's size changes between runs.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scopeDirectoryPartitionOf } from '../functions/core/state/account-keys';
import { ensureLedgerTable, ensureStateTable } from '../local/resources';
import type { ReconcilerChildInput, ReconcilerChildResult } from './reconciler-child';
import { track } from './lib/processes';

const DAY = 86_400;

/** A deterministic generator (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** One run's figures, with the ledger it ran against. */
export interface ReconcilerRunFigures extends ReconcilerChildResult {
  readonly ledgerRecords: number;
  readonly stripeRequests: number;
}

export interface ReconcilerScaleResult {
  readonly accounts: number;
  readonly windowEvents: number;
  readonly missing: number;
  readonly seedItemsPerSecond: number;
  readonly runs: readonly ReconcilerRunFigures[];
}

interface ListedEntry {
  readonly id: string;
  readonly created: number;
}

/** The fake Events API: per `Stripe-Account`, newest first, `created[gte]`, `limit`, `starting_after`, `has_more`. */
const startFakeEventsApi = async (scopes: ReadonlyMap<string, readonly ListedEntry[]>) => {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    const url = new URL(request.url ?? '/', 'http://fake');
    const header = request.headers['stripe-account'];
    const account = typeof header === 'string' ? header : undefined;
    const since = Number(url.searchParams.get('created[gte]') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const listed = (scopes.get(account ?? 'platform') ?? []).filter((entry) => entry.created >= since);
    const after = url.searchParams.get('starting_after');
    const start = after === null ? 0 : listed.findIndex((entry) => entry.id === after) + 1;
    const data = listed.slice(start, start + limit).map((entry) => ({
      id: entry.id,
      object: 'event',
      api_version: '2026-07-29.dahlia',
      created: entry.created,
      type: 'account.updated',
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      data: { object: { id: account ?? 'acct_platform', object: 'account', charges_enabled: true, payouts_enabled: true } },
      ...(account === undefined ? {} : { account }),
    }));
    response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_bench' });
    response.end(JSON.stringify({ object: 'list', url: '/v1/events', has_more: start + limit < listed.length, data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Writes items with BatchWriteItem, 25 a request, `parallel` requests at a time, retrying unprocessed items. */
const batchWrite = async (client: DynamoDBDocumentClient, tableName: string, items: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>, parallel = 8) => {
  const inFlight = new Set<Promise<void>>();
  const send = async (batch: Record<string, unknown>[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round += 1) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * round));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const promise = send(batch).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    batch = [];
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length === 25) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
};

const runChild = (input: ReconcilerChildInput): Promise<ReconcilerChildResult> =>
  new Promise((resolve, reject) => {
    const child = track(
      fork(join(__dirname, 'reconciler-child.ts'), [JSON.stringify(input)], { cwd: join(__dirname, '..'), execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }),
      'reconciler run',
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      const last = output.trim().split('\n').at(-1);
      if (code !== 0 || last === undefined) reject(new Error(`the reconciler run exited with code ${code}`));
      else resolve(JSON.parse(last) as ReconcilerChildResult);
    });
  });

export const measureReconcilerScale = async (options: {
  readonly endpoints: { readonly dynamoDb: string; readonly sqs: string };
  readonly accounts: number;
  readonly ledgerSizes: readonly number[];
  readonly windowEvents: number;
  readonly missing: number;
  readonly log: (line: string) => void;
}): Promise<ReconcilerScaleResult> => {
  const next = random(7);
  const nowSec = Math.floor(Date.now() / 1000);
  const dynamoDb = new DynamoDBClient({});
  const client = DynamoDBDocumentClient.from(dynamoDb, { marshallOptions: { removeUndefinedValues: true } });
  const ledgerTableName = 'bench-reconciler-ledger';
  await ensureLedgerTable(dynamoDb, ledgerTableName);
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-reconciler-events' }))).QueueUrl ?? '';
  const accountIds = Array.from({ length: options.accounts }, (_, index) => `acct_benchRec${index}`);
  const hot = Math.max(1, Math.round(options.accounts * 0.05));
  const pickAccount = () => accountIds[next() < 0.8 ? Math.floor(next() * hot) : hot + Math.floor(next() * (options.accounts - hot))]!;
  // A kept payload like a real record's: a gzipped event of about 1.5 KB.
  const payload = new Uint8Array(gzipSync(Buffer.from(JSON.stringify({ object: 'event', filler: 'x'.repeat(1500) }))));
  const record = (eventId: string, account: string, created: number) => ({
    eventId, status: 'processed', eventType: 'account.updated', account, livemode: false, created, attempts: 1,
    firstReceivedAt: new Date(created * 1000).toISOString(), updatedAt: new Date(created * 1000).toISOString(),
    processedAt: new Date(created * 1000).toISOString(), expiresAt: nowSec + 35 * DAY, payload, payloadStored: true, payloadBytes: 1540, outcome: {},
  });

  // The last three days, as Stripe lists them: every event, of which the first `missing` never reached the ledger.
  const window = Array.from({ length: options.windowEvents }, (_, index) => ({ id: `evt_benchRecW${index}`, account: pickAccount(), created: nowSec - 60 - Math.floor(next() * (3 * DAY - 600)) }));
  const scopes = new Map<string, ListedEntry[]>();
  for (const event of window) scopes.set(event.account, [...(scopes.get(event.account) ?? []), { id: event.id, created: event.created }]);
  for (const entries of scopes.values()) entries.sort((a, b) => b.created - a.created);
  const stripe = await startFakeEventsApi(scopes);

  let seedMs = 0;
  const timedWrite = async (...args: Parameters<typeof batchWrite>) => {
    const start = Date.now();
    await batchWrite(...args);
    seedMs += Date.now() - start;
  };
  let seeded = 0;
  options.log(`  seeding ${options.windowEvents - options.missing} recent ledger records…`);
  await timedWrite(client, ledgerTableName, window.slice(options.missing).map((event) => record(event.id, event.account, event.created)));
  seeded += options.windowEvents - options.missing;
  const runs: ReconcilerRunFigures[] = [];
  try {
    for (const [index, size] of options.ledgerSizes.entries()) {
      const older = Math.max(0, size - seeded);
      options.log(`  seeding ${older} older ledger records (to ${size})…`);
      const start = seeded;
      const olderItems = function* () {
        for (let count = 0; count < older; count += 1) yield record(`evt_benchRecO${start + count}`, pickAccount(), nowSec - 3 * DAY - Math.floor(next() * 32 * DAY));
      };
      await timedWrite(client, ledgerTableName, olderItems());
      seeded += older;
      const stateTableName = `bench-reconciler-state-${index}`;
      await ensureStateTable(dynamoDb, stateTableName);
      await batchWrite(
        client,
        stateTableName,
        accountIds.map((account) => ({ pk: scopeDirectoryPartitionOf(false), sk: account, account, livemode: false, lastActiveAt: Math.floor(nowSec / DAY) * DAY })),
      );
      options.log(`  reconciler run against ${seeded} ledger records…`);
      const before = stripe.requests();
      const result = await runChild({ ...options.endpoints, ledgerTableName, stateTableName, queueUrl, stripeBaseUrl: stripe.endpoint, apiKey: 'sk_test_bench' });
      runs.push({ ...result, ledgerRecords: seeded, stripeRequests: stripe.requests() - before });
    }
  } finally {
    await stripe.stop();
    dynamoDb.destroy();
    sqs.destroy();
  }
  return { accounts: options.accounts, windowEvents: options.windowEvents, missing: options.missing, seedItemsPerSecond: seeded / (seedMs / 1000), runs };
};
