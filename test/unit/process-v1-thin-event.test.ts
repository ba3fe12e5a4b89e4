import type Stripe from 'stripe';
import { AcceptedModes } from '../../functions/core/livemode-policy';
import { RecordOutcome, createEventProcessor } from '../../functions/core/process-event';
import { recordPartitionOf } from '../../functions/core/state/account-keys';
import { FIXTURE_ACCOUNT, loadFixtureEvent } from '../support/event-factory';
import { createThinWorkerHarness } from '../support/thin-worker-harness';
import { incomingRecord } from '../support/worker-harness';

const snapshot = JSON.parse(loadFixtureEvent('payout.failed')) as Record<string, unknown> & { id: string; data: { object: { id: string } } };
const thinPayoutFailed = (options: { readonly id: string; readonly withSnapshot?: boolean }) =>
  JSON.stringify({
    id: options.id,
    object: 'v2.core.event',
    type: 'v1.payout.failed',
    created: '2026-08-20T10:00:00.000Z',
    livemode: false,
    context: FIXTURE_ACCOUNT,
    related_object: { id: snapshot.data.object.id, type: 'payout', url: `/v1/payouts/${snapshot.data.object.id}` },
    ...(options.withSnapshot === false ? {} : { snapshot_event: snapshot.id }),
  } satisfies Pick<Stripe.Events.V1PayoutFailedEventNotification, 'id' | 'object' | 'type' | 'created' | 'livemode' | 'related_object' | 'snapshot_event'> & { context: string });

const harnessWithSnapshot = () => {
  const harness = createThinWorkerHarness();
  harness.stripeV2.snapshots.set(snapshot.id, snapshot);
  return harness;
};

describe('worker: v1 thin events apply their change once, through their snapshot event', () => {
  test('thin first: the snapshot is fetched and processed, the thin event recorded ignored naming it, and the snapshot webhook later is a duplicate', async () => {
    // Prepare
    const harness = harnessWithSnapshot();

    // Act
    const thin = await harness.process(incomingRecord(thinPayoutFailed({ id: 'evt_test_v1thin_first' })));
    const webhook = await harness.process(incomingRecord(JSON.stringify(snapshot, null, 2)));

    // Assess
    expect([thin, webhook]).toEqual([RecordOutcome.ignored, RecordOutcome.duplicate]);
    expect(await harness.ledger.get({ eventId: snapshot.id, nowMs: harness.clock.now() })).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await harness.ledger.get({ eventId: 'evt_test_v1thin_first', nowMs: harness.clock.now() })).toMatchObject({ status: 'ignored', ignoredReason: `applied through its snapshot event ${snapshot.id}` });
    const payout = `PAYOUT#${snapshot.data.object.id}`;
    expect(harness.state.get(recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item: payout }), payout)).toMatchObject({ status: 'failed' });
  });

  test('snapshot first: the thin event finds it processed and applies nothing again', async () => {
    // Prepare
    const harness = harnessWithSnapshot();
    await harness.process(incomingRecord(JSON.stringify(snapshot, null, 2)));

    // Act
    const thin = await harness.process(incomingRecord(thinPayoutFailed({ id: 'evt_test_v1thin_second' })));

    // Assess
    expect(thin).toBe(RecordOutcome.ignored);
    expect(await harness.ledger.get({ eventId: snapshot.id, nowMs: harness.clock.now() })).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await harness.ledger.get({ eventId: 'evt_test_v1thin_second', nowMs: harness.clock.now() })).toMatchObject({ status: 'ignored' });
  });

  test('without snapshot_event on the notification, the fetched event names it', async () => {
    // Prepare
    const harness = harnessWithSnapshot();
    const body = thinPayoutFailed({ id: 'evt_test_v1thin_fetch', withSnapshot: false });
    harness.stripeV2.events.set('evt_test_v1thin_fetch', { ...(JSON.parse(body) as object), snapshot_event: snapshot.id });

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.stripeV2.reads.map((read) => read.what)).toEqual(['event', 'snapshot']);
    expect(await harness.ledger.get({ eventId: snapshot.id, nowMs: harness.clock.now() })).toMatchObject({ status: 'processed' });
  });

  test('Stripe unavailable while reading the snapshot: retry with back-off, nothing recorded', async () => {
    // Prepare
    const harness = harnessWithSnapshot();
    harness.stripeV2.unavailableFor = 1;

    // Act
    const outcome = await harness.process(incomingRecord(thinPayoutFailed({ id: 'evt_test_v1thin_outage' })));

    // Assess
    expect(outcome).toBe(RecordOutcome.retryLater);
    expect(await harness.ledger.get({ eventId: 'evt_test_v1thin_outage', nowMs: harness.clock.now() })).toBeUndefined();
    expect(await harness.ledger.get({ eventId: snapshot.id, nowMs: harness.clock.now() })).toBeUndefined();
  });

  test('a snapshot answer that is not a v1 event is refused and retried, never processed in its place', async () => {
    // Prepare
    const harness = harnessWithSnapshot();
    harness.stripeV2.snapshots.set(snapshot.id, JSON.parse(thinPayoutFailed({ id: 'evt_test_v1thin_loop' })) as Record<string, unknown>);

    // Act
    const outcome = await harness.process(incomingRecord(thinPayoutFailed({ id: 'evt_test_v1thin_loop' })));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    expect(harness.logger.linesAt('error')).toContainEqual(expect.objectContaining({ attributes: expect.objectContaining({ error: expect.stringContaining('is not a v1 event') }) }));
  });

  test('a redelivery of a thin event already applied is a duplicate, and Stripe is not read again', async () => {
    // Prepare
    const harness = harnessWithSnapshot();
    const body = thinPayoutFailed({ id: 'evt_test_v1thin_again' });
    await harness.process(incomingRecord(body));
    const readsBefore = harness.stripeV2.reads.length;

    // Act
    const again = await harness.process(incomingRecord(body));

    // Assess
    expect(again).toBe(RecordOutcome.duplicate);
    expect(harness.stripeV2.reads).toHaveLength(readsBefore);
    expect(await harness.ledger.get({ eventId: snapshot.id, nowMs: harness.clock.now() })).toMatchObject({ status: 'processed', attempts: 1 });
  });

  test('a test-mode thin event on a live-only deployment is recorded ignored before any Stripe read', async () => {
    // Prepare
    const harness = createThinWorkerHarness({ acceptedModes: AcceptedModes.live });
    harness.stripeV2.snapshots.set(snapshot.id, snapshot);

    // Act
    const outcome = await harness.process(incomingRecord(thinPayoutFailed({ id: 'evt_test_v1thin_mode' })));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.stripeV2.reads).toEqual([]);
    expect(await harness.ledger.get({ eventId: 'evt_test_v1thin_mode', nowMs: harness.clock.now() })).toMatchObject({ status: 'ignored' });
  });

  test("a v1 thin event notes its account in the reconciler's directory, as every event of an accepted mode does", async () => {
    // Prepare
    const harness = harnessWithSnapshot();
    const noted: string[] = [];
    const process = createEventProcessor({ ...harness.deps, scopes: { noteActive: async ({ account }) => void noted.push(account) } });

    // Act
    const outcome = await process(incomingRecord(thinPayoutFailed({ id: 'evt_test_v1thin_scope' })));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(noted).toContain(FIXTURE_ACCOUNT);
  });
});
