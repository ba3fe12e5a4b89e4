/**
 * First figures for the closing note of the foundation issue (the full benchmark suite is its own issue):
 * ingest CPU per event against the HMAC + JSON.parse floor, ledger requests per delivery, and events/s with
 * POST → processed latency through the local pipeline. Run: npm run bench:local
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { createDocumentClient } from '../functions/adapters/dynamodb-client';
import { createDynamoDbEventLedger } from '../functions/adapters/dynamodb-event-ledger';
import { createEnvWebhookSecrets } from '../functions/adapters/env-webhook-secrets';
import { createStripeSignatureVerifier } from '../functions/adapters/stripe-signature-verifier';
import type { Logger } from '../functions/core/ports';
import { createIngestHandler } from '../functions/ingest/create-handler';
import { startDynamoDbLocal, startFauxqs } from '../local/emulators';
import { startLocalPipeline } from '../local/pipeline';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const SECRET = 'whsec_bench_secret';
const template = readFileSync(join(__dirname, '..', 'cli', 'event-templates', 'account.updated.json'), 'utf8');
let counter = 0;
// Events spread over 100 connected accounts, as on a platform: one account's events contend for its records.
const ACCOUNTS = 100;
const newPayload = () => {
  counter += 1;
  return template
    .replace(/"id": "evt_[^"]+"/, `"id": "evt_bench${Date.now()}x${counter}"`)
    .replace(/"created": \d+/, `"created": ${Math.floor(Date.now() / 1000)}`)
    .split('acct_1PgafTB7WZ01zgkW')
    .join(`acct_bench${counter % ACCOUNTS}`);
};
const cpuMs = (run: () => unknown | Promise<unknown>) => async (n: number) => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 1) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
};

const ingestCost = async () => {
  const payload = newPayload();
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  const queue = { maxMessageBytes: 1_048_576, send: async () => ({ messageId: 'm' }) };
  const handler = createIngestHandler({
    deps: { queue, secrets: createEnvWebhookSecrets({ STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: SECRET }), verifier: createStripeSignatureVerifier(), clock: Date.now },
    logger: silent,
  });
  const event = { rawPath: '/webhooks/connect', requestContext: { http: { method: 'POST' } }, headers: { 'stripe-signature': header }, body: payload, isBase64Encoded: false } as never;
  const floor = cpuMs(() => {
    createHmac('sha256', SECRET).update(`${Date.now()}.${payload}`).digest('hex');
    JSON.parse(payload);
  });
  const ingest = cpuMs(() => handler(event));
  await ingest(500);
  await floor(500);
  const [floorMs, ingestMs] = [await floor(5000), await ingest(5000)];
  return { floorMs, ingestMs, ratio: ingestMs / floorMs };
};

const ledgerRequests = async (tableName: string, stateTableName: string) => {
  const client = createDocumentClient();
  let requests = 0;
  client.middlewareStack.add((next) => async (args) => ((requests += 1), next(args)), { step: 'initialize', name: 'countRequests' });
  const ledger = createDynamoDbEventLedger({ client, tableName, stateTableName });
  const facts = { eventId: `evt_count${Date.now()}`, eventType: 'balance.available', livemode: false, created: 1 };
  const claim = await ledger.claim({ facts, nowMs: Date.now() });
  if (claim.kind !== 'claimed') throw new Error('expected a claim');
  // A single-record event: one state write committed with the ledger mark.
  const writes = [{ partition: 'PLATFORM#test', item: 'BALANCE', facet: 'state', version: `000000000001#${facts.eventId}`, set: { available: [] } }];
  await ledger.complete({ eventId: facts.eventId, leaseToken: claim.leaseToken, outcome: {}, writes, nowMs: Date.now() });
  const first = requests;
  await ledger.claim({ facts, nowMs: Date.now() });
  return { firstDelivery: first, duplicate: requests - first };
};

const percentile = (values: number[], p: number) => values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;

const endToEnd = async (options: { events: number; concurrency: number }) => {
  const [dynamoDb, sqs] = await Promise.all([startDynamoDbLocal({ port: 4343 }), startFauxqs({ port: 4344 })]);
  try {
    const pipeline = await startLocalPipeline({ endpoints: { dynamoDb: dynamoDb.endpoint, sqs: sqs.endpoint }, secrets: { account: [SECRET], connect: [SECRET] }, port: 0, pollers: 4, loggerFor: () => silent });
    const requests = await ledgerRequests(pipeline.resources.ledgerTableName, pipeline.resources.stateTableName);
    const ledger = createDynamoDbEventLedger({ client: createDocumentClient(), tableName: pipeline.resources.ledgerTableName, stateTableName: pipeline.resources.stateTableName });
    const run = async (events: number) => {
      const posted = new Map<string, number>();
      const started = Date.now();
      let next = 0;
      const connection = async () => {
        while (next < events) {
          next += 1;
          const payload = newPayload();
          const id = /"id": "(evt_[^"]+)"/.exec(payload)?.[1] ?? '';
          posted.set(id, Date.now());
          const response = await fetch(`${pipeline.url}/webhooks/connect`, { method: 'POST', headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) }, body: payload });
          if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, connection));
      const latencies: number[] = [];
      let lastDone = started;
      for (const [eventId, sentAt] of posted) {
        for (;;) {
          const record = await ledger.get({ eventId, nowMs: Date.now() });
          if (record?.status === 'processed' && record.processedAt) {
            latencies.push(Date.parse(record.processedAt) - sentAt);
            lastDone = Math.max(lastDone, Date.parse(record.processedAt));
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      return { eventsPerSecond: events / ((lastDone - started) / 1000), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
    };
    // DynamoDB Local runs on the JVM: the first few hundred requests are much slower than the rest.
    await run(300);
    const measured = await run(options.events);
    await pipeline.stop();
    return { requests, ...measured };
  } finally {
    await Promise.all([dynamoDb.stop(), sqs.stop()]);
  }
};

const main = async () => {
  const ingest = await ingestCost();
  const e2e = await endToEnd({ events: 1000, concurrency: 16 });
  console.table({
    'ingest CPU per event (ms), SQS stubbed': ingest.ingestMs.toFixed(3),
    'floor: HMAC-SHA256 + JSON.parse (ms)': ingest.floorMs.toFixed(3),
    'ingest / floor': ingest.ratio.toFixed(2),
    'ledger requests, first delivery': e2e.requests.firstDelivery,
    'ledger requests, duplicate': e2e.requests.duplicate,
    'local end to end, events/s (1000 events, 16 connections, after 300 warm-up)': e2e.eventsPerSecond.toFixed(0),
    'POST → processed p50 (ms)': e2e.p50Ms,
    'POST → processed p99 (ms)': e2e.p99Ms,
  });
};

void main();
