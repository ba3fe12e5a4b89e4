import { LedgerStatus } from '../../functions/core/ledger-record';
import { AcceptedModes } from '../../functions/core/livemode-policy';
import { RecordOutcome } from '../../functions/core/process-event';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent } from '../support/projection-input';
import { createWorkerHarness, deliver } from '../support/worker-harness';

/** The account.updated fixture in one mode, under its own id, with `charges_enabled` as given. */
const accountUpdated = (options: { readonly livemode: boolean; readonly id: string; readonly chargesEnabled?: boolean }) =>
  fixtureEvent('account.updated', (event) => {
    event.id = options.id;
    event.livemode = options.livemode;
    event.data.object.charges_enabled = options.chargesEnabled ?? false;
  });

describe('event processor: accepted modes', () => {
  test('a live-only deployment records a test-mode event ignored with the reason, and runs nothing', async () => {
    // Prepare
    const harness = createWorkerHarness({ acceptedModes: AcceptedModes.live });
    const event = accountUpdated({ livemode: false, id: 'evt_1ModeTest00000000001' });

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.ledger.raw('evt_1ModeTest00000000001')).toMatchObject({
      status: LedgerStatus.ignored,
      attempts: 0,
      ignoredReason: 'test-mode event refused: this deployment accepts live-mode events only',
    });
    expect(harness.handlers.calls).toEqual([]);
    expect(harness.state.all()).toEqual([]);
  });

  test('a test-only deployment records a live-mode event ignored with the reason, and runs nothing', async () => {
    // Prepare
    const harness = createWorkerHarness({ acceptedModes: AcceptedModes.test });
    const event = accountUpdated({ livemode: true, id: 'evt_1ModeLive00000000001' });

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.ledger.raw('evt_1ModeLive00000000001')).toMatchObject({
      status: LedgerStatus.ignored,
      ignoredReason: 'live-mode event refused: this deployment accepts test-mode events only',
    });
    expect(harness.handlers.calls).toEqual([]);
    expect(harness.state.all()).toEqual([]);
  });

  test('a live-only deployment processes a live-mode event into the live partition', async () => {
    // Prepare
    const harness = createWorkerHarness({ acceptedModes: AcceptedModes.live });
    const event = accountUpdated({ livemode: true, id: 'evt_1ModeLive00000000002' });

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.state.all().map((item) => `${String(item.pk)}|${String(item.sk)}`)).toEqual([`ACCOUNT#${FIXTURE_ACCOUNT}#live|PROFILE`]);
  });

  test('a repeated delivery of a refused event is a duplicate', async () => {
    // Prepare
    const harness = createWorkerHarness({ acceptedModes: AcceptedModes.live });
    const event = accountUpdated({ livemode: false, id: 'evt_1ModeTest00000000002' });
    await deliver(harness, event);

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
  });

  test('a deployment accepting both processes both modes and keeps their state apart', async () => {
    // Prepare
    const harness = createWorkerHarness({ acceptedModes: AcceptedModes.both });
    const testEvent = accountUpdated({ livemode: false, id: 'evt_1ModeBoth00000000001', chargesEnabled: false });
    const liveEvent = accountUpdated({ livemode: true, id: 'evt_1ModeBoth00000000002', chargesEnabled: true });

    // Act
    const outcomes = [await deliver(harness, testEvent), await deliver(harness, liveEvent)];

    // Assess
    expect(outcomes).toEqual([RecordOutcome.processed, RecordOutcome.processed]);
    expect(harness.state.get(`ACCOUNT#${FIXTURE_ACCOUNT}#test`, 'PROFILE')).toMatchObject({ chargesEnabled: false, sourceEventId: 'evt_1ModeBoth00000000001' });
    expect(harness.state.get(`ACCOUNT#${FIXTURE_ACCOUNT}#live`, 'PROFILE')).toMatchObject({ chargesEnabled: true, sourceEventId: 'evt_1ModeBoth00000000002' });
  });
});
