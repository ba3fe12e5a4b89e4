import { recordPartitionOf } from '../../functions/core/state/account-keys';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordOutcome, createEventProcessor } from '../../functions/core/process-event';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent } from '../support/projection-input';
import { createWorkerHarness, deliver, incomingRecord } from '../support/worker-harness';

const PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
/** The write shard a payment or payout record of the fixture account lives in. */
const shardOfRecord = (item: string) => recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item });
const ACCOUNT_UPDATED_ID = 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD';
const ACCOUNT_UPDATED_CREATED = 1787238727;

describe('event processor: stale events', () => {
  test('an event older than the stored state is processed with stale: true and leaves the state unchanged', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    const newer = fixtureEvent('account.updated', (event) => {
      event.id = 'evt_1NewerAccountUpdate001';
      event.created = ACCOUNT_UPDATED_CREATED + 3600;
      event.data.object.email = 'newer@example.com';
    });
    await deliver(harness, newer);
    const before = harness.state.all();

    // Act
    const outcome = await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.ledger.raw(ACCOUNT_UPDATED_ID)).toMatchObject({ status: LedgerStatus.processed, stale: true });
    expect(harness.state.all()).toEqual(before);
    expect(harness.state.get(PARTITION, 'PROFILE')).toMatchObject({ email: 'newer@example.com', sourceEventId: 'evt_1NewerAccountUpdate001' });
  });

  test('an event newer than the stored state replaces it and is not stale', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    await deliver(harness, fixtureEvent('account.updated'));
    const newer = fixtureEvent('account.updated', (event) => {
      event.id = 'evt_1NewerAccountUpdate002';
      event.created = ACCOUNT_UPDATED_CREATED + 1;
      event.data.object.email = 'newer@example.com';
    });

    // Act
    await deliver(harness, newer);

    // Assess
    expect(harness.ledger.raw('evt_1NewerAccountUpdate002')).toMatchObject({ status: LedgerStatus.processed, stale: false });
    expect(harness.state.get(PARTITION, 'PROFILE')).toMatchObject({ email: 'newer@example.com' });
  });
});

describe('event processor: writes of one event', () => {
  test('two writes to the same record in one event fail the event, and nothing is written', async () => {
    // Prepare
    const harness = createWorkerHarness({
      custom: {
        'account.updated': async ({ event }) => ({
          writes: [{ partition: PARTITION, item: 'PROFILE', facet: 'crm', version: `${String(event.created).padStart(12, '0')}#${event.id}`, set: { crmId: 'crm_1' } }],
        }),
      },
    });

    // Act
    const outcome = await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    expect(harness.ledger.raw(ACCOUNT_UPDATED_ID)).toMatchObject({ status: LedgerStatus.failed, lastError: expect.stringContaining('wrote the same record PROFILE') });
    expect(harness.state.all()).toEqual([]);
  });

  test("a replayed payment never resets the platform's fulfilment status", async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    await deliver(harness, fixtureEvent('payment_intent.succeeded.direct'));
    const item = harness.state.get(shardOfRecord('PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x'), 'PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x');
    harness.state.seed(shardOfRecord('PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x'), 'PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x', { ...item, fulfilmentStatus: 'shipped' });
    const later = fixtureEvent('payment_intent.succeeded.direct', (event) => {
      event.id = 'evt_3LaterPaymentEvent0001';
      event.created = 1787239029 + 10;
    });

    // Act
    await deliver(harness, later);

    // Assess
    expect(harness.state.get(shardOfRecord('PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x'), 'PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x')).toMatchObject({ fulfilmentStatus: 'shipped', sourceEventId: 'evt_3LaterPaymentEvent0001' });
  });

  test('a first payment starts its fulfilment pending', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });

    // Act
    await deliver(harness, fixtureEvent('payment_intent.succeeded.destination'));

    // Assess
    expect(harness.state.get(shardOfRecord('PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b'), 'PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b')).toMatchObject({ fulfilmentStatus: 'pending', chargeType: 'destination' });
  });
});

describe('event processor: a commit that fails', () => {
  test('is recorded as a commit failure, not a handler failure, and the message is retried', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    const complete = harness.ledger.complete.bind(harness.ledger);
    let commits = 0;
    const deps = {
      ...harness.deps,
      ledger: {
        ...harness.ledger,
        complete: async (input: Parameters<typeof complete>[0]) => {
          commits += 1;
          if (commits === 1) throw new Error('DynamoDB unreachable');
          return complete(input);
        },
      },
    };
    const process = createEventProcessor(deps);
    const body = JSON.stringify(fixtureEvent('account.updated'), null, 2);

    // Act
    const first = await process(incomingRecord(body));
    const afterFailure = await harness.ledger.get({ eventId: ACCOUNT_UPDATED_ID, nowMs: harness.clock.now() });
    const second = await process(incomingRecord(body));

    // Assess
    expect(first).toBe(RecordOutcome.retry);
    expect(afterFailure).toMatchObject({ status: LedgerStatus.failed, lastError: expect.stringContaining('DynamoDB unreachable') });
    expect(afterFailure?.lastError).not.toContain('Handler for');
    expect(harness.logger.linesAt('error').map((line) => line.message)).toEqual(['commit failed']);
    expect(second).toBe(RecordOutcome.processed);
    expect((await harness.state.partition(PARTITION)).map((item) => item.sk)).toEqual(['PROFILE']);
  });
});

describe('event processor: observability', () => {
  test('the processed log line carries the end-to-end lag from the event’s creation', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    harness.clock.set((ACCOUNT_UPDATED_CREATED + 42) * 1000);

    // Act
    await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    const processed = harness.logger.linesAt('info').find((line) => line.message === 'event processed');
    expect(processed?.attributes).toMatchObject({ eventId: ACCOUNT_UPDATED_ID, lagMs: 42_000, applied: 1, stale: 0 });
  });
});
