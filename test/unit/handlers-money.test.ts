import { recordPartitionOf } from '../../functions/core/state/account-keys';
import { projectBalanceAvailable } from '../../functions/core/handlers/balance-available';
import { projectPaymentIntentSucceeded } from '../../functions/core/handlers/payment-intent-succeeded';
import { projectPayoutFailed } from '../../functions/core/handlers/payout-failed';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, project } from '../support/projection-input';

const PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
const BANK_ACCOUNT = 'ba_1PgagAB7WZ01zgkWr3DySp2Q';
const PAYOUT = 'po_1Pgc79B7WZ01zgkWu1KToYf4';

describe('Connect projections on the shared fixtures: payouts, payments and balances', () => {
  test('payout.failed writes the PAYOUT record and flags its destination PAYOUT_ATTENTION', async () => {
    // Prepare
    const event = fixtureEvent('payout.failed');
    const source = { sourceEventId: 'evt_1S4A2lB7WZ01zgkWd1Rf8XnS', sourceEventCreated: 1787584447 };
    const version = '001787584447#evt_1S4A2lB7WZ01zgkWd1Rf8XnS';

    // Act
    const result = await project('payout.failed', projectPayoutFailed, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item: `PAYOUT#${PAYOUT}` }),
          item: `PAYOUT#${PAYOUT}`,
          facet: 'state',
          version,
          set: {
            payoutId: PAYOUT,
            status: 'failed',
            amount: 1100,
            currency: 'usd',
            destination: BANK_ACCOUNT,
            arrivalDate: '2026-08-22T00:00:00.000Z',
            createdAt: '2026-08-21T15:12:07.000Z',
            failureCode: 'account_closed',
            failureMessage: 'The bank account has been closed.',
            method: 'standard',
            ...source,
          },
        },
        {
          partition: PARTITION,
          item: `PAYOUT_ATTENTION#${BANK_ACCOUNT}`,
          facet: 'state',
          version,
          set: {
            destination: BANK_ACCOUNT,
            needsAttention: true,
            payoutId: PAYOUT,
            failureCode: 'account_closed',
            failureMessage: 'The bank account has been closed.',
            failedAt: '2026-08-24T15:14:07.000Z',
            clearedBy: null,
            ...source,
          },
        },
      ],
      outcome: { payout: PAYOUT, failureCode: 'account_closed', destination: BANK_ACCOUNT },
    });
  });

  test('payment_intent.succeeded for a direct charge writes a PAYMENT under the event account, fulfilment pending once', async () => {
    // Prepare
    const event = fixtureEvent('payment_intent.succeeded.direct');

    // Act
    const result = await project('payment_intent.succeeded', projectPaymentIntentSucceeded, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item: 'PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x' }),
          item: 'PAYMENT#pi_3S3kS1B7WZ01zgkW0aQ8rT5x',
          facet: 'state',
          version: '001787239029#evt_3S3kS1B7WZ01zgkW0uH5sV2d',
          set: {
            paymentIntentId: 'pi_3S3kS1B7WZ01zgkW0aQ8rT5x',
            chargeType: 'direct',
            status: 'succeeded',
            amount: 1099,
            amountReceived: 1099,
            currency: 'usd',
            applicationFeeAmount: 123,
            latestCharge: 'ch_3S3kS1B7WZ01zgkW0nF2kW7q',
            metadata: {},
            createdAt: '2026-08-20T15:17:07.000Z',
            succeededAt: '2026-08-20T15:17:09.000Z',
            sourceEventId: 'evt_3S3kS1B7WZ01zgkW0uH5sV2d',
            sourceEventCreated: 1787239029,
          },
          setOnce: { fulfilmentStatus: 'pending' },
        },
      ],
      outcome: { paymentIntent: 'pi_3S3kS1B7WZ01zgkW0aQ8rT5x', owner: FIXTURE_ACCOUNT, chargeType: 'direct' },
    });
  });

  test('payment_intent.succeeded for a destination charge (a platform event) writes the PAYMENT under transfer_data.destination', async () => {
    // Prepare
    const event = fixtureEvent('payment_intent.succeeded.destination');

    // Act
    const result = await project('payment_intent.succeeded', projectPaymentIntentSucceeded, event);

    // Assess
    expect(event.account).toBeUndefined();
    expect(result).toEqual({
      writes: [
        {
          partition: recordPartitionOf({ account: FIXTURE_ACCOUNT, livemode: false, item: 'PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b' }),
          item: 'PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b',
          facet: 'state',
          version: '001787239149#evt_3S3kT4Lq3Xv8RtYz1kD7mQ0r',
          set: {
            paymentIntentId: 'pi_3S3kT4Lq3Xv8RtYz1pW6nE9b',
            chargeType: 'destination',
            status: 'succeeded',
            amount: 1099,
            amountReceived: 1099,
            currency: 'usd',
            applicationFeeAmount: 123,
            latestCharge: 'ch_3S3kT4Lq3Xv8RtYz1c8Gv3Ys',
            metadata: {},
            createdAt: '2026-08-20T15:19:07.000Z',
            succeededAt: '2026-08-20T15:19:09.000Z',
            sourceEventId: 'evt_3S3kT4Lq3Xv8RtYz1kD7mQ0r',
            sourceEventCreated: 1787239149,
          },
          setOnce: { fulfilmentStatus: 'pending' },
        },
      ],
      outcome: { paymentIntent: 'pi_3S3kT4Lq3Xv8RtYz1pW6nE9b', owner: FIXTURE_ACCOUNT, chargeType: 'destination' },
    });
  });

  test('balance.available writes the BALANCE snapshot of the connected account: available and pending per currency and source', async () => {
    // Prepare
    const event = fixtureEvent('balance.available');

    // Act
    const result = await project('balance.available', projectBalanceAvailable, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: PARTITION,
          item: 'BALANCE',
          facet: 'state',
          version: '001787239627#evt_1S3kU8B7WZ01zgkWa4Nc6YbP',
          set: {
            available: [{ currency: 'usd', amount: 914, sourceTypes: { card: 914 } }],
            pending: [{ currency: 'usd', amount: 0, sourceTypes: { card: 0 } }],
            sourceEventId: 'evt_1S3kU8B7WZ01zgkWa4Nc6YbP',
            sourceEventCreated: 1787239627,
          },
        },
      ],
      outcome: { owner: FIXTURE_ACCOUNT, currencies: ['usd'] },
    });
  });
});
