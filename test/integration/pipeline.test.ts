import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { makeEventBody, stripeId } from '../support/event-factory';
import { eventually, startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(60_000);

/** A registry whose account.updated handler counts its runs. */
const countingRegistry = () => {
  const runs: string[] = [];
  const registry = createHandlerRegistry({
    projections: connectProjections,
    custom: {
      'account.updated': async ({ event }) => {
        runs.push(event.id);
        // Long enough for concurrent deliveries to overlap the run.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { outcome: { seen: event.id } };
      },
    },
  });
  return { runs, registry };
};

describe('local pipeline end to end', () => {
  let harness: TestPipeline | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  test('an event posted over HTTP ends processed in the ledger with the handler outcome', async () => {
    // Prepare
    harness = await startTestPipeline();
    const eventId = stripeId('evt');
    const payload = makeEventBody({ id: eventId });

    // Act
    const response = await harness.post({ payload, route: 'connect' });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, id: eventId });
    const record = await harness.waitForStatus(eventId, LedgerStatus.processed);
    expect(record).toMatchObject({ eventType: 'account.updated', attempts: 1, livemode: false, account: 'acct_1PgafTB7WZ01zgkW' });
    expect(record.outcome).toEqual({ profileStatus: 'active' });
  });

  test('the same event delivered 10 times concurrently runs its handler once', async () => {
    // Prepare
    const { runs, registry } = countingRegistry();
    harness = await startTestPipeline({ registry, visibilityTimeoutSeconds: 1 });
    const eventId = stripeId('evt');
    const payload = makeEventBody({ id: eventId });
    const h = harness;

    // Act
    const responses = await Promise.all(Array.from({ length: 10 }, () => h.post({ payload, route: 'connect' })));
    await h.waitForStatus(eventId, LedgerStatus.processed);
    await eventually(async () => (await h.depth(h.pipeline.resources.queueUrl)) === 0, 'the queue to drain');

    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(runs).toEqual([eventId]);
    expect(await h.ledger.get({ eventId, nowMs: Date.now() })).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await h.peekDeadLetters()).toHaveLength(0);
  });

  test('a throwing handler is retried on each delivery, then the message lands in the DLQ', async () => {
    // Prepare
    let calls = 0;
    const registry = createHandlerRegistry({
      projections: {},
      custom: {
        'account.updated': async () => {
          calls += 1;
          throw new Error('downstream unavailable');
        },
      },
    });
    harness = await startTestPipeline({ registry, visibilityTimeoutSeconds: 1, maxReceiveCount: 3 });
    const eventId = stripeId('evt');
    const payload = makeEventBody({ id: eventId });
    const h = harness;

    // Act
    await h.post({ payload, route: 'connect' });
    let deadLetters: Awaited<ReturnType<TestPipeline['peekDeadLetters']>> = [];
    await eventually(async () => (deadLetters = await h.peekDeadLetters()).length > 0, 'the message to reach the DLQ', 30_000);

    // Assess
    expect(deadLetters[0]?.Body).toBe(payload);
    expect(calls).toBe(3);
    expect(await h.ledger.get({ eventId, nowMs: Date.now() })).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: expect.stringContaining('downstream unavailable'),
    });
  });

  test('an event claimed by a worker that died is taken over once its lease expires', async () => {
    // Prepare
    const { runs, registry } = countingRegistry();
    harness = await startTestPipeline({ registry, visibilityTimeoutSeconds: 1, leaseSeconds: 2 });
    const eventId = stripeId('evt');
    const payload = makeEventBody({ id: eventId });
    // The "dead" worker: it claimed the event with a 2 s lease and never finished.
    const deadWorkerLedger = createDynamoDbEventLedger({
      client: createDocumentClient(),
      tableName: harness.pipeline.resources.ledgerTableName,
      stateTableName: harness.pipeline.resources.stateTableName,
      policy: { leaseMs: 2000, retentionDays: 35 },
    });
    const facts = { eventId, eventType: 'account.updated', account: 'acct_1PgafTB7WZ01zgkW', livemode: false, created: Math.floor(Date.now() / 1000) };
    const dead = await deadWorkerLedger.claim({ facts, nowMs: Date.now() });
    expect(dead.kind).toBe('claimed');

    // Act
    await harness.post({ payload, route: 'connect' });
    const record = await harness.waitForStatus(eventId, LedgerStatus.processed);

    // Assess
    expect(runs).toEqual([eventId]);
    expect(record.attempts).toBe(2);
  });
});
