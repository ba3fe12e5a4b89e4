import { InvalidEventError } from '../../functions/core/errors';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordOutcome } from '../../functions/core/process-event';
import { captureError } from '../support/capture-error';
import { FIXTURE_ACCOUNT, makeEvent } from '../support/event-factory';
import { createWorkerHarness, incomingRecord } from '../support/worker-harness';

/** A fresh `account.updated` event: its id and the queue body carrying it. */
const freshEvent = (overrides: Readonly<Record<string, unknown>> = {}) => {
  const event = makeEvent(overrides);
  return { id: event.id as string, body: JSON.stringify(event, null, 2) };
};

const factsOf = (id: string) => ({ eventId: id, eventType: 'account.updated', account: FIXTURE_ACCOUNT, livemode: false, created: 1787238727 });

describe('event processor: first and repeated deliveries', () => {
  test('a first delivery runs the handler once and ends processed with attempts 1 and the outcome stored', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent();

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.handlers.calls).toHaveLength(1);
    const record = await harness.ledger.get({ eventId: id, nowMs: harness.clock.now() });
    expect(record).toMatchObject({ status: LedgerStatus.processed, attempts: 1, outcome: { account: FIXTURE_ACCOUNT, chargesEnabled: true, run: 1 } });
    expect(record).not.toHaveProperty('leaseToken');
  });

  test('the handler receives the connected account and the event id as idempotency key', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent();

    // Act
    await harness.process(incomingRecord(body));

    // Assess
    expect(harness.handlers.calls).toEqual([{ eventId: id, account: FIXTURE_ACCOUNT, idempotencyKey: id }]);
  });

  test('a duplicate delivery of a processed event is acknowledged without running the handler again', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { body } = freshEvent();
    await harness.process(incomingRecord(body));

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
    expect(harness.handlers.calls).toHaveLength(1);
  });

  test('an event type without a handler is recorded ignored and acknowledged, and no handler runs', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent({ type: 'customer.created' });

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.handlers.calls).toHaveLength(0);
    expect(await harness.ledger.get({ eventId: id, nowMs: harness.clock.now() })).toMatchObject({ status: LedgerStatus.ignored, ignoredReason: expect.any(String) });
  });

  test('a repeated delivery of an ignored event is acknowledged as a duplicate', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { body } = freshEvent({ type: 'a.type.from.the.future' });
    await harness.process(incomingRecord(body));

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
  });
});

describe('event processor: failures and retries', () => {
  test('a throwing handler leaves the message for a retry and records the event failed with the error', async () => {
    // Prepare
    const harness = createWorkerHarness();
    harness.handlers.failuresLeft = 1;
    const { id, body } = freshEvent();

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    const record = await harness.ledger.get({ eventId: id, nowMs: harness.clock.now() });
    expect(record).toMatchObject({ status: LedgerStatus.failed, attempts: 1, lastError: expect.stringContaining('downstream unavailable') });
    expect(harness.logger.linesAt('error')).toEqual([expect.objectContaining({ message: 'event failed', attributes: expect.objectContaining({ eventId: id }) })]);
  });

  test('the delivery after a failure runs the handler again and ends processed with attempts 2', async () => {
    // Prepare
    const harness = createWorkerHarness();
    harness.handlers.failuresLeft = 1;
    const { id, body } = freshEvent();
    await harness.process(incomingRecord(body));

    // Act
    const outcome = await harness.process(incomingRecord(body, { receiveCount: 2 }));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.handlers.calls).toHaveLength(2);
    expect(await harness.ledger.get({ eventId: id, nowMs: harness.clock.now() })).toMatchObject({ status: LedgerStatus.processed, attempts: 2, outcome: { run: 2 } });
  });

  test('an event another worker holds under a live lease is left for a retry without running the handler', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent();
    await harness.ledger.claim({ facts: factsOf(id), nowMs: harness.clock.now() });
    harness.clock.advance(harness.ledger.policy.leaseMs - 1);

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    expect(harness.handlers.calls).toHaveLength(0);
    expect(harness.ledger.raw(id)).toMatchObject({ status: LedgerStatus.processing, attempts: 1 });
  });

  test('an event whose lease expired (its worker died) is taken over and processed with attempts 2', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent();
    await harness.ledger.claim({ facts: factsOf(id), nowMs: harness.clock.now() });
    harness.clock.advance(harness.ledger.policy.leaseMs);

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.handlers.calls).toHaveLength(1);
    expect(await harness.ledger.get({ eventId: id, nowMs: harness.clock.now() })).toMatchObject({ status: LedgerStatus.processed, attempts: 2 });
  });

  test('a processed record past its retention counts as absent: the event is claimed afresh with attempts 1', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent();
    await harness.process(incomingRecord(body));
    const stored = harness.ledger.raw(id);
    harness.clock.set((stored?.expiresAt ?? 0) * 1000);

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.handlers.calls).toHaveLength(2);
    expect(await harness.ledger.get({ eventId: id, nowMs: harness.clock.now() })).toMatchObject({ status: LedgerStatus.processed, attempts: 1 });
  });

  test('a processed record one second before its retention ends is still a duplicate', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const { id, body } = freshEvent();
    await harness.process(incomingRecord(body));
    harness.clock.set(((harness.ledger.raw(id)?.expiresAt ?? 0) - 1) * 1000);

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
    expect(harness.handlers.calls).toHaveLength(1);
  });
});

describe('event processor: bodies that are not events', () => {
  test('an invalid body throws InvalidEventError and logs one error line naming the message, without the body', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const record = incomingRecord('{"hello":"not-an-event-marker"}', { messageId: 'msg-invalid-1', receiveCount: 3 });

    // Act
    const error = await captureError(() => harness.process(record));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(harness.logger.linesAt('error')).toEqual([
      expect.objectContaining({ attributes: expect.objectContaining({ messageId: 'msg-invalid-1', receiveCount: 3, bodyBytes: 31 }) }),
    ]);
    expect(harness.logger.text()).not.toContain('not-an-event-marker');
  });

  test('an invalid body writes nothing to the ledger', async () => {
    // Prepare
    const harness = createWorkerHarness();

    // Act
    await captureError(() => harness.process(incomingRecord('not json at all')));

    // Assess
    expect(await harness.ledger.list({ limit: 10, nowMs: harness.clock.now() })).toEqual([]);
  });
});
