import { createWorkerHandler } from '../../functions/worker/create-handler';
import { FIXTURE_ACCOUNT, makeEvent } from '../support/event-factory';
import { createWorkerHarness, incomingRecord, sqsEvent, sqsRecord } from '../support/worker-harness';

const bodyOf = (overrides: Readonly<Record<string, unknown>> = {}): { id: string; body: string } => {
  const event = makeEvent(overrides);
  return { id: event.id as string, body: JSON.stringify(event, null, 2) };
};

describe('worker handler: partial batch failures', () => {
  test('a mixed batch reports exactly the invalid body and the throwing handler for retry', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const good = bodyOf();
    const throwing = bodyOf({ type: 'payout.failed' });
    const duplicate = bodyOf();
    await harness.process(incomingRecord(duplicate.body));
    const batch = sqsEvent([
      sqsRecord({ messageId: 'm-good', body: good.body }),
      sqsRecord({ messageId: 'm-invalid', body: '{"object":"event","id":"not-an-event-id"}' }),
      sqsRecord({ messageId: 'm-throwing', body: throwing.body }),
      sqsRecord({ messageId: 'm-duplicate', body: duplicate.body, receiveCount: 2 }),
    ]);

    // Act
    const response = await handle(batch);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-invalid' }, { itemIdentifier: 'm-throwing' }]);
  });

  test('in a mixed batch the good event is processed and the duplicate does not rerun its handler', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const good = bodyOf();
    const duplicate = bodyOf();
    await harness.process(incomingRecord(duplicate.body));
    const batch = sqsEvent([
      sqsRecord({ messageId: 'm-good', body: good.body }),
      sqsRecord({ messageId: 'm-invalid', body: 'garbage' }),
      sqsRecord({ messageId: 'm-duplicate', body: duplicate.body }),
    ]);

    // Act
    await handle(batch);

    // Assess
    expect(harness.handlers.calls.map((call) => call.eventId)).toEqual([duplicate.id, good.id]);
    expect(await harness.ledger.get({ eventId: good.id, nowMs: harness.clock.now() })).toMatchObject({ status: 'processed', account: FIXTURE_ACCOUNT });
  });

  test('a record that fails outside a handler is logged once as an error with its message id', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);

    // Act
    await handle(sqsEvent([sqsRecord({ messageId: 'm-invalid', body: '[]' })]));

    // Assess
    expect(harness.logger.linesAt('error').filter((line) => line.message === 'record failed')).toEqual([
      expect.objectContaining({ attributes: expect.objectContaining({ messageId: 'm-invalid' }) }),
    ]);
  });

  test('an event in flight on another worker is reported for retry', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const inFlight = bodyOf();
    await harness.ledger.claim({
      facts: { eventId: inFlight.id, eventType: 'account.updated', account: FIXTURE_ACCOUNT, livemode: false, created: 1787238727 },
      nowMs: harness.clock.now(),
    });

    // Act
    const response = await handle(sqsEvent([sqsRecord({ messageId: 'm-in-flight', body: inFlight.body })]));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-in-flight' }]);
  });

  test('an event type without a handler is acknowledged, not retried', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const unknown = bodyOf({ type: 'charge.dispute.created' });

    // Act
    const response = await handle(sqsEvent([sqsRecord({ messageId: 'm-unknown', body: unknown.body })]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
  });

  test('the same event twice in one batch runs its handler once and retries the copy that found it in flight', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const event = bodyOf();

    // Act
    const response = await handle(sqsEvent([sqsRecord({ messageId: 'm-first', body: event.body }), sqsRecord({ messageId: 'm-second', body: event.body })]));

    // Assess
    expect(harness.handlers.calls).toHaveLength(1);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-second' }]);
  });

  test('an empty batch reports no failures', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);

    // Act
    const response = await handle(sqsEvent([]));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
  });

  test('a batch whose every record must be retried reports each one instead of failing the invocation', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const batch = sqsEvent([sqsRecord({ messageId: 'm-1', body: 'garbage' }), sqsRecord({ messageId: 'm-2', body: '{}' })]);

    // Act
    const response = await handle(batch);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
  });

  test('batches handled at the same time each report only their own failures', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const handle = createWorkerHandler(harness.deps);
    const good = sqsEvent([sqsRecord({ messageId: 'm-good-1', body: bodyOf().body }), sqsRecord({ messageId: 'm-good-2', body: bodyOf().body })]);
    const bad = sqsEvent([sqsRecord({ messageId: 'm-bad', body: 'garbage' })]);

    // Act
    const [goodResponse, badResponse] = await Promise.all([handle(good), handle(bad)]);

    // Assess
    expect(goodResponse.batchItemFailures).toEqual([]);
    expect(badResponse.batchItemFailures).toEqual([{ itemIdentifier: 'm-bad' }]);
  });
});
