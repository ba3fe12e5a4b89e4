import { partitionsOf, recordPartitionOf } from '../../functions/core/state/account-keys';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordOutcome } from '../../functions/core/process-event';
import { buildAccountView } from '../../functions/core/state/account-view';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { DEAUTHORIZED_REASON } from '../support/fakes';
import { fixtureEvent } from '../support/projection-input';
import { createWorkerHarness, deliver } from '../support/worker-harness';

const TEST_PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
/** The deauthorization fixture's `created` and id. */
const DEAUTHORIZED_AT = 1787674327;
const DEAUTHORIZATION_ID = 'evt_1S3kR2B7WZ01zgkWn8Vd4TqE';

/** The account.updated fixture under its own id and `created`. */
const accountUpdated = (id: string, created: number) =>
  fixtureEvent('account.updated', (event) => {
    event.id = id;
    event.created = created;
  });

/** A harness whose state already holds the fixture account's deauthorization. */
const deauthorizedHarness = async (options: Parameters<typeof createWorkerHarness>[0] = {}) => {
  const harness = createWorkerHarness(options);
  const outcome = await deliver(harness, fixtureEvent('account.application.deauthorized'));
  if (outcome !== RecordOutcome.processed) throw new Error(`deauthorization not processed: ${outcome}`);
  return harness;
};

describe('event processor: events of a deauthorized account', () => {
  test('an event created after the deauthorization is recorded ignored with the reason, and none of its writes land', async () => {
    // Prepare
    const harness = await deauthorizedHarness({ custom: {} });
    const event = accountUpdated('evt_1AfterDeauth000000001', DEAUTHORIZED_AT + 60);

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.ledger.raw('evt_1AfterDeauth000000001')).toMatchObject({ status: LedgerStatus.ignored, ignoredReason: DEAUTHORIZED_REASON });
    expect(harness.state.get(TEST_PARTITION, 'PROFILE')).toBeUndefined();
  });

  test('an event created before the deauthorization (delivered late) is applied', async () => {
    // Prepare
    const harness = await deauthorizedHarness({ custom: {} });
    const event = accountUpdated('evt_1BeforeDeauth00000001', DEAUTHORIZED_AT - 60);

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.state.get(TEST_PARTITION, 'PROFILE')).toMatchObject({ sourceEventId: 'evt_1BeforeDeauth00000001' });
  });

  test('within the deauthorization second, the event id decides, consistently with the version order', async () => {
    // Prepare
    const harness = await deauthorizedHarness({ custom: {} });
    const before = accountUpdated(`${DEAUTHORIZATION_ID.slice(0, -1)}A`, DEAUTHORIZED_AT);
    const after = accountUpdated(`${DEAUTHORIZATION_ID}0`, DEAUTHORIZED_AT);

    // Act
    const outcomes = [await deliver(harness, before), await deliver(harness, after)];

    // Assess
    expect(outcomes).toEqual([RecordOutcome.processed, RecordOutcome.ignored]);
  });

  test("a custom handler is not called for an event created after the account's deauthorization", async () => {
    // Prepare
    const harness = await deauthorizedHarness();
    const event = accountUpdated('evt_1AfterDeauth000000002', DEAUTHORIZED_AT + 60);

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.handlers.calls).toEqual([]);
    expect(harness.stripe.calls).toEqual([]);
  });

  test('a custom handler is called for an event created before the deauthorization', async () => {
    // Prepare
    const harness = await deauthorizedHarness();
    const event = accountUpdated('evt_1BeforeDeauth00000002', DEAUTHORIZED_AT - 60);

    // Act
    await deliver(harness, event);

    // Assess
    expect(harness.handlers.calls.map((call) => call.eventId)).toEqual(['evt_1BeforeDeauth00000002']);
  });

  test('a destination charge naming a deauthorized account is the platform’s own event and still lands', async () => {
    // Prepare
    const harness = await deauthorizedHarness({ custom: {} });
    const event = fixtureEvent('payment_intent.succeeded.destination', (json) => {
      json.created = DEAUTHORIZED_AT + 60;
    });

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect((await harness.state.partition(TEST_PARTITION)).map((item) => item.sk)).toEqual(['DEAUTHORIZATION']);
    expect(harness.state.get(recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item: 'PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b' }), 'PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b')).toBeDefined();
  });

  test('a custom handler of a destination charge after the deauthorization runs, acting as the platform', async () => {
    // Prepare
    const seen: (string | undefined)[] = [];
    const harness = await deauthorizedHarness({
      custom: {
        'payment_intent.succeeded': async ({ account, stripe }) => {
          seen.push(account);
          void stripe;
          return { outcome: { fulfilled: true } };
        },
      },
    });
    const event = fixtureEvent('payment_intent.succeeded.destination', (json) => {
      json.created = DEAUTHORIZED_AT + 60;
    });

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(seen).toEqual([undefined]);
    expect(harness.stripe.calls).toEqual([undefined]);
  });

  test('the account stays deauthorized in its view while the platform\'s later destination charge is listed under it', async () => {
    // Prepare
    const harness = await deauthorizedHarness({ custom: {} });
    await deliver(
      harness,
      fixtureEvent('payment_intent.succeeded.destination', (json) => {
        json.created = DEAUTHORIZED_AT + 60;
      }),
    );

    // Act
    const partitions = partitionsOf({ account: FIXTURE_ACCOUNT, livemode: false });
    const records = (await Promise.all(partitions.map((partition) => harness.state.partition(partition)))).flat();
    const view = buildAccountView({ partition: TEST_PARTITION, records });

    // Assess
    expect(view.status).toBe('deauthorized');
    expect(view.payments.map((payment) => payment.paymentIntentId)).toEqual(['pi_3S3kT4Lq3Xv8RtYz1pW6nE9b']);
  });

  test('a test-mode deauthorization does not block the same account in live mode', async () => {
    // Prepare
    const harness = await deauthorizedHarness({ custom: {} });
    const event = accountUpdated('evt_1LiveAfterDeauth00001', DEAUTHORIZED_AT + 60);
    event.livemode = true;

    // Act
    const outcome = await deliver(harness, event);

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.state.get(`ACCOUNT#${FIXTURE_ACCOUNT}#live`, 'PROFILE')).toBeDefined();
  });

  test('the deauthorization is read once per event with custom handlers, and not at all without them', async () => {
    // Prepare
    const withCustom = await deauthorizedHarness();
    const withoutCustom = await deauthorizedHarness({ custom: {} });

    // Act
    await deliver(withCustom, accountUpdated('evt_1ReadCount0000000001', DEAUTHORIZED_AT + 60));
    await deliver(withoutCustom, accountUpdated('evt_1ReadCount0000000002', DEAUTHORIZED_AT + 60));

    // Assess
    expect([withCustom.state.authorizationReads, withoutCustom.state.authorizationReads]).toEqual([1, 0]);
  });
});
