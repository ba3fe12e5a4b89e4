import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordOutcome } from '../../functions/core/process-event';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent } from '../support/projection-input';
import { createWorkerHarness, deliver, incomingRecord } from '../support/worker-harness';

const TEST_PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
/** The deauthorization fixture's `created`. */
const DEAUTHORIZED_AT = 1787674327;
const AUTHORIZED_AT = DEAUTHORIZED_AT + 3600;

const deauthorization = () => fixtureEvent('account.application.deauthorized');

/** The deauthorization fixture turned into the account connecting the platform again, an hour later. */
const authorization = (created = AUTHORIZED_AT) =>
  fixtureEvent('account.application.deauthorized', (event) => {
    event.id = `evt_1Authorized${created}`;
    event.type = 'account.application.authorized';
    event.created = created;
  });

const accountUpdated = (id: string, created: number) =>
  fixtureEvent('account.updated', (event) => {
    event.id = id;
    event.created = created;
  });

describe('event processor: an account that authorizes the platform again', () => {
  test('after deauthorization then authorization, a later event lands again', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    await deliver(harness, deauthorization());
    await deliver(harness, authorization());

    // Act
    const outcome = await deliver(harness, accountUpdated('evt_1AfterReconnect00001', AUTHORIZED_AT + 60));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.state.get(TEST_PARTITION, 'PROFILE')).toMatchObject({ sourceEventId: 'evt_1AfterReconnect00001' });
  });

  test('an event between the deauthorization and the authorization stays ignored', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    await deliver(harness, deauthorization());
    await deliver(harness, authorization());

    // Act
    const outcome = await deliver(harness, accountUpdated('evt_1WhileDisconnected01', DEAUTHORIZED_AT + 60));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.state.get(TEST_PARTITION, 'PROFILE')).toBeUndefined();
  });

  test('order-safe: the authorization delivered before the older deauthorization still lets later events land', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    await deliver(harness, authorization());
    await deliver(harness, deauthorization());

    // Act
    const outcome = await deliver(harness, accountUpdated('evt_1AfterReconnect00002', AUTHORIZED_AT + 60));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
  });

  test('an authorization older than the deauthorization does not clear it', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });
    await deliver(harness, authorization(DEAUTHORIZED_AT - 3600));
    await deliver(harness, deauthorization());

    // Act
    const outcome = await deliver(harness, accountUpdated('evt_1AfterDeauth000000009', DEAUTHORIZED_AT + 60));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
  });

  test('custom handlers run again for events after the authorization', async () => {
    // Prepare
    const harness = createWorkerHarness();
    await deliver(harness, deauthorization());
    await deliver(harness, authorization());

    // Act
    await deliver(harness, accountUpdated('evt_1AfterReconnect00003', AUTHORIZED_AT + 60));

    // Assess
    expect(harness.handlers.calls.map((call) => call.eventId)).toContain('evt_1AfterReconnect00003');
  });
});

describe('event processor: forced replays are idempotent per replay id', () => {
  test('a second delivery of the same forced replay message does not rerun the handlers', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const body = JSON.stringify(accountUpdated('evt_1ReplayTwice0000001', DEAUTHORIZED_AT), null, 2);
    await harness.process(incomingRecord(body));
    const replay = { id: 'rpl_20261201000000_abcdef', force: true };
    await harness.process({ ...incomingRecord(body), replay });
    const callsAfterFirst = harness.handlers.calls.length;

    // Act
    const outcome = await harness.process({ ...incomingRecord(body), replay });

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
    expect(harness.handlers.calls).toHaveLength(callsAfterFirst);
    expect(harness.ledger.raw('evt_1ReplayTwice0000001')).toMatchObject({ status: LedgerStatus.processed, replays: 1, lastReplayId: replay.id });
  });

  test('a new forced replay (another id) reruns them', async () => {
    // Prepare
    const harness = createWorkerHarness();
    const body = JSON.stringify(accountUpdated('evt_1ReplayTwice0000002', DEAUTHORIZED_AT), null, 2);
    await harness.process(incomingRecord(body));
    await harness.process({ ...incomingRecord(body), replay: { id: 'rpl_first', force: true } });

    // Act
    const outcome = await harness.process({ ...incomingRecord(body), replay: { id: 'rpl_second', force: true } });

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.ledger.raw('evt_1ReplayTwice0000002')).toMatchObject({ replays: 2, lastReplayId: 'rpl_second' });
  });
});
