import { recordPartitionOf } from '../../functions/core/state/account-keys';
import { RecordOutcome } from '../../functions/core/process-event';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, payoutPaidEvent } from '../support/projection-input';
import { createWorkerHarness, deliver } from '../support/worker-harness';

const PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
/** The write shard a payment or payout record of the fixture account lives in. */
const shardOfRecord = (item: string) => recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item });
const BANK_ACCOUNT = 'ba_1PgagAB7WZ01zgkWr3DySp2Q';
const ATTENTION = `PAYOUT_ATTENTION#${BANK_ACCOUNT}`;
/** The payout.failed fixture's `created`. */
const FAILED_AT = 1787584447;

/** A harness (projections only) in which the payout.failed fixture was processed. */
const afterFailedPayout = async () => {
  const harness = createWorkerHarness({ custom: {} });
  const outcome = await deliver(harness, fixtureEvent('payout.failed'));
  if (outcome !== RecordOutcome.processed) throw new Error(`payout.failed not processed: ${outcome}`);
  return harness;
};

/** The external account fixture (created after the failure) with `status`. */
const externalAccountUpdate = (status: string, id: string) =>
  fixtureEvent('account.external_account.updated', (event) => {
    event.id = id;
    event.data.object.status = status;
  });

describe('payouts need attention: the PAYOUT_ATTENTION flag in the state', () => {
  test('a failed payout flags its destination', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: {} });

    // Act
    await deliver(harness, fixtureEvent('payout.failed'));

    // Assess
    expect(harness.state.get(PARTITION, ATTENTION)).toMatchObject({
      destination: BANK_ACCOUNT,
      needsAttention: true,
      payoutId: 'po_1Pgc79B7WZ01zgkWu1KToYf4',
      failureCode: 'account_closed',
      clearedBy: null,
    });
  });

  test('a later update leaving the bank account errored keeps the flag', async () => {
    // Prepare
    const harness = await afterFailedPayout();

    // Act
    await deliver(harness, externalAccountUpdate('errored', 'evt_1ExternalErrored000001'));

    // Assess
    expect(harness.state.get(PARTITION, ATTENTION)).toMatchObject({ needsAttention: true, failureCode: 'account_closed' });
    expect(harness.state.get(PARTITION, `EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`)).toMatchObject({ status: 'errored', needsAttention: true });
  });

  test('a later update making the bank account usable clears the flag and its failure details', async () => {
    // Prepare
    const harness = await afterFailedPayout();

    // Act
    await deliver(harness, externalAccountUpdate('validated', 'evt_1ExternalValidated0001'));

    // Assess
    expect(harness.state.get(PARTITION, ATTENTION)).toMatchObject({
      needsAttention: false,
      clearedBy: 'external_account_updated',
      payoutId: null,
      failureCode: null,
      failureMessage: null,
      failedAt: null,
    });
  });

  test('a later paid payout to the same destination clears the flag', async () => {
    // Prepare
    const harness = await afterFailedPayout();

    // Act
    await deliver(harness, payoutPaidEvent({ id: 'evt_1PayoutPaidLater000001', created: FAILED_AT + 86_400, payout: 'po_1NextPayout000000001' }));

    // Assess
    expect(harness.state.get(PARTITION, ATTENTION)).toMatchObject({ needsAttention: false, clearedBy: 'payout_paid', payoutId: 'po_1NextPayout000000001' });
  });

  test('a paid payout created before the failure, delivered after it, does not clear the flag', async () => {
    // Prepare
    const harness = await afterFailedPayout();

    // Act
    await deliver(harness, payoutPaidEvent({ id: 'evt_1PayoutPaidEarlier0001', created: FAILED_AT - 86_400, payout: 'po_1EarlierPayout000001' }));

    // Assess
    expect(harness.state.get(PARTITION, ATTENTION)).toMatchObject({ needsAttention: true, failureCode: 'account_closed' });
    expect(harness.state.get(shardOfRecord('PAYOUT#po_1EarlierPayout000001'), 'PAYOUT#po_1EarlierPayout000001')).toMatchObject({ status: 'paid' });
  });
});
