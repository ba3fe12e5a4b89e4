import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { ensureLedgerTable, ensureQueues, ensureStateTable } from '../../local/resources';
import { startWorkerProcess } from '../support/worker-process-runner';
import type { WorkerProcess } from '../support/worker-process-runner';
import { eventually, mapLimit, observers, postWebhook, profilesByAccount, sharedEndpoints, signedDeliveries, startIngestOnly, uniqueName, useCleanup } from './harness';

const EVENTS = 100;
/** Lease and visibility timeout: short, so the second worker takes the orphaned events over within seconds. */
const LEASE_SECONDS = 4;

jest.setTimeout(120_000);

describe('a worker process killed in the middle of its batches', () => {
  const cleanup = useCleanup();

  test('after SIGKILL and a new worker, every event is processed exactly once; orphaned claims are taken over', async () => {
    // Prepare: tables and queues on the shared emulators, the ingest in this process, 100 events enqueued.
    const endpoints = sharedEndpoints();
    const observe = observers(endpoints);
    cleanup.add('observers', () => observe.destroy());
    const tables = { ledger: uniqueName('ledger'), state: uniqueName('state') };
    const dynamoDb = new DynamoDBClient({});
    await Promise.all([ensureLedgerTable(dynamoDb, tables.ledger), ensureStateTable(dynamoDb, tables.state)]);
    dynamoDb.destroy();
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const queues = await ensureQueues(sqs, { ledgerTableName: tables.ledger, stateTableName: tables.state, queueName: uniqueName('events'), deadLetterQueueName: uniqueName('events-dlq'), visibilityTimeoutSeconds: LEASE_SECONDS, maxReceiveCount: 10 });
    sqs.destroy();
    const secrets = { account: `whsec_rel_${randomBytes(8).toString('hex')}`, connect: `whsec_rel_${randomBytes(8).toString('hex')}` };
    const ingest = await startIngestOnly({ queueUrl: queues.queueUrl, secrets });
    cleanup.add('ingest', () => ingest.stop());
    const events = signedDeliveries(EVENTS, secrets.connect);
    const statuses = await mapLimit(events, 10, async (event) => (await postWebhook(ingest.url, event)).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const workerSettings = (name: string, delayMs: number): Record<string, string> => ({
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      QUEUE_URL: queues.queueUrl,
      LEDGER_TABLE_NAME: tables.ledger,
      STATE_TABLE_NAME: tables.state,
      LEDGER_LEASE_SECONDS: String(LEASE_SECONDS),
      VISIBILITY_TIMEOUT_SECONDS: String(LEASE_SECONDS),
      BATCH_SIZE: '5',
      // Four receive loops with slow handlers: some claim is always in flight, whenever the kill lands.
      POLLERS: '4',
      HANDLER_DELAY_MS: String(delayMs),
      WORKER_NAME: name,
    });
    const ledger = () => observe.ledger(tables.ledger);

    // Act: the first worker's handlers take 600 ms, so batches are in flight when it is SIGKILLed after some
    // events are processed; then a second worker starts on the same queue.
    const first: WorkerProcess = await startWorkerProcess(workerSettings('first', 600));
    cleanup.add('first worker', () => first.kill());
    await eventually(async () => {
      const rows = await ledger();
      const processed = rows.filter((row) => row.status === LedgerStatus.processed).length;
      const processing = rows.filter((row) => row.status === LedgerStatus.processing).length;
      return (processed >= 20 && processing > 0) || `${processed} processed, ${processing} processing`;
    }, 'the first worker to be mid-batch after 20 events', 45_000, 100);
    await first.kill();
    const atKill = await ledger();
    const orphaned = atKill.filter((row) => row.status === LedgerStatus.processing).map((row) => row.eventId);
    const processedAtKill = atKill.filter((row) => row.status === LedgerStatus.processed).length;
    const second = await startWorkerProcess(workerSettings('second', 20));
    cleanup.add('second worker', () => second.stop());
    await eventually(async () => {
      const [rows, depth] = await Promise.all([ledger(), observe.depth(queues.queueUrl)]);
      const processed = rows.filter((row) => row.status === LedgerStatus.processed).length;
      return (processed === EVENTS && depth === 0) || `${processed}/${EVENTS} processed, queue ${depth}`;
    }, 'every event processed and the queue empty', 60_000, 250);
    await second.stop();
    const [final, state, queueDepth, deadLetters] = await Promise.all([ledger(), observe.state(tables.state), observe.depth(queues.queueUrl), observe.depth(queues.deadLetterQueueUrl)]);

    // Assess
    console.log(`worker crash: killed after ${processedAtKill} processed with ${orphaned.length} claims in flight; first worker pid ${first.pid} (${first.child.signalCode})`);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(processedAtKill).toBeGreaterThanOrEqual(20);
    expect(processedAtKill).toBeLessThan(EVENTS);
    expect(orphaned.length).toBeGreaterThan(0);
    expect(final).toHaveLength(EVENTS);
    const byId = new Map(final.map((row) => [row.eventId, row]));
    const profiles = profilesByAccount(state);
    for (const event of events) {
      const row = byId.get(event.id);
      const takenOver = orphaned.includes(event.id);
      // A claim orphaned by the kill is taken over once its lease ran out: a second run, committed by the second worker.
      expect({ id: event.id, status: row?.status, attempts: row?.attempts, committedBy: row?.outcome?.worker }).toEqual({
        id: event.id,
        status: LedgerStatus.processed,
        attempts: takenOver ? 2 : 1,
        committedBy: takenOver ? 'second' : expect.stringMatching(/^(first|second)$/),
      });
      // The effect landed once: one PROFILE record for the event's account, written by this event.
      expect(profiles.get(event.account)?.map((item) => item.sourceEventId)).toEqual([event.id]);
    }
    expect(profiles.size).toBe(EVENTS);
    expect({ queueDepth, deadLetters }).toEqual({ queueDepth: 0, deadLetters: 0 });
  });
});
