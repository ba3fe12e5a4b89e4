import { projectPaymentIntentSucceeded } from '../../functions/core/handlers/payment-intent-succeeded';
import type { FixtureName } from '../support/event-factory';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, project, writesOf } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';

const OTHER_ACCOUNT = 'acct_1OnBehalfOf0001';

/** The one PAYMENT write, and the outcome, of a payment_intent.succeeded fixture after `edit`. */
const paymentOf = async (name: FixtureName, edit?: (event: EditableEvent, intent: Record<string, unknown>) => void) => {
  const result = await project('payment_intent.succeeded', projectPaymentIntentSucceeded, fixtureEvent(name, (event) => edit?.(event, event.data.object)));
  const writes = writesOf(result);
  if (writes.length !== 1 || writes[0] === undefined) throw new Error(`expected one write, got ${writes.length}`);
  return { write: writes[0], outcome: result.outcome };
};

describe('payment_intent.succeeded projection: whose payment it is', () => {
  test('a direct charge belongs to the event account, even when the intent names a destination', async () => {
    // Prepare
    const edit = (_: EditableEvent, intent: Record<string, unknown>) => {
      intent.transfer_data = { destination: OTHER_ACCOUNT };
    };

    // Act
    const { write, outcome } = await paymentOf('payment_intent.succeeded.direct', edit);

    // Assess
    expect(write.partition).toMatch(new RegExp(`^ACCOUNT#${FIXTURE_ACCOUNT}#test#S[0-3]$`));
    expect(outcome).toMatchObject({ owner: FIXTURE_ACCOUNT, chargeType: 'direct' });
  });

  test('a destination charge given as an expanded account belongs to that account', async () => {
    // Prepare
    const edit = (_: EditableEvent, intent: Record<string, unknown>) => {
      intent.transfer_data = { amount: null, destination: { id: OTHER_ACCOUNT, object: 'account', email: 'owner@example.com' } };
    };

    // Act
    const { write, outcome } = await paymentOf('payment_intent.succeeded.destination', edit);

    // Assess
    expect(write.partition).toMatch(new RegExp(`^ACCOUNT#${OTHER_ACCOUNT}#test#S[0-3]$`));
    expect(write.set.chargeType).toBe('destination');
    expect(outcome).toMatchObject({ owner: OTHER_ACCOUNT, chargeType: 'destination' });
  });

  test.each([
    ['an id', OTHER_ACCOUNT],
    ['an expanded account', { id: OTHER_ACCOUNT, object: 'account' }],
  ])('an on_behalf_of charge without a destination, given as %s, belongs to on_behalf_of', async (_, onBehalfOf) => {
    // Prepare
    const edit = (__: EditableEvent, intent: Record<string, unknown>) => {
      intent.transfer_data = null;
      intent.on_behalf_of = onBehalfOf;
    };

    // Act
    const { write, outcome } = await paymentOf('payment_intent.succeeded.destination', edit);

    // Assess
    expect(write.partition).toMatch(new RegExp(`^ACCOUNT#${OTHER_ACCOUNT}#test#S[0-3]$`));
    expect(outcome).toMatchObject({ owner: OTHER_ACCOUNT, chargeType: 'on_behalf_of' });
  });

  test('transfer_data.destination wins over on_behalf_of', async () => {
    // Prepare
    const edit = (_: EditableEvent, intent: Record<string, unknown>) => {
      intent.on_behalf_of = OTHER_ACCOUNT;
    };

    // Act
    const { write } = await paymentOf('payment_intent.succeeded.destination', edit);

    // Assess
    expect(write.partition).toMatch(new RegExp(`^ACCOUNT#${FIXTURE_ACCOUNT}#test#S[0-3]$`));
    expect(write).toMatchObject({ set: { chargeType: 'destination' } });
  });

  test("a platform payment with neither destination nor on_behalf_of goes to the platform's partition", async () => {
    // Prepare
    const edit = (_: EditableEvent, intent: Record<string, unknown>) => {
      intent.transfer_data = null;
      intent.on_behalf_of = null;
    };

    // Act
    const { write, outcome } = await paymentOf('payment_intent.succeeded.destination', edit);

    // Assess
    expect(write.partition).toMatch(/^PLATFORM#test#S[0-3]$/);
    expect(write).toMatchObject({ item: 'PAYMENT#pi_3S3kT4Lq3Xv8RtYz1pW6nE9b', set: { chargeType: 'platform' } });
    expect(outcome).toEqual({ paymentIntent: 'pi_3S3kT4Lq3Xv8RtYz1pW6nE9b', owner: 'platform', chargeType: 'platform' });
  });
});

describe('payment_intent.succeeded projection: record contents', () => {
  test.each(['payment_intent.succeeded.direct', 'payment_intent.succeeded.destination'] as const)('%s sets fulfilmentStatus pending only once (setOnce), never in set', async (name) => {
    // Prepare
    const fixture = name;

    // Act
    const { write } = await paymentOf(fixture);

    // Assess
    expect(write.setOnce).toEqual({ fulfilmentStatus: 'pending' });
    expect(write.set).not.toHaveProperty('fulfilmentStatus');
  });

  test('the client secret and payment method never reach the record', async () => {
    // Prepare
    const fixture = 'payment_intent.succeeded.direct';

    // Act
    const { write } = await paymentOf(fixture);

    // Assess
    expect(JSON.stringify(write)).not.toMatch(/secret|pm_1S3kS0B7WZ01zgkWz9Lb6HcJ/);
  });

  test('metadata is copied and a live-mode event writes the live partition', async () => {
    // Prepare
    const edit = (event: EditableEvent, intent: Record<string, unknown>) => {
      event.livemode = true;
      intent.livemode = true;
      intent.metadata = { order_id: 'ord_8812' };
    };

    // Act
    const { write } = await paymentOf('payment_intent.succeeded.direct', edit);

    // Assess
    expect(write.partition).toMatch(new RegExp(`^ACCOUNT#${FIXTURE_ACCOUNT}#live#S[0-3]$`));
    expect(write).toMatchObject({ set: { metadata: { order_id: 'ord_8812' } } });
  });

  test('an older API version without latest_charge, amount_received, application fee or metadata still projects every field', async () => {
    // Prepare
    const edit = (event: EditableEvent, intent: Record<string, unknown>) => {
      event.api_version = '2022-08-01';
      for (const key of ['latest_charge', 'amount_received', 'application_fee_amount', 'metadata', 'payment_method_configuration_details', 'amount_details']) delete intent[key];
    };

    // Act
    const { write } = await paymentOf('payment_intent.succeeded.direct', edit);

    // Assess
    expect(write.set).toMatchObject({ latestCharge: null, amountReceived: 1099, applicationFeeAmount: null, metadata: {} });
    expect(Object.values(write.set)).not.toContain(undefined);
  });

  test('an expanded latest_charge is recorded by id', async () => {
    // Prepare
    const edit = (_: EditableEvent, intent: Record<string, unknown>) => {
      intent.latest_charge = { id: 'ch_3S3kS1B7WZ01zgkW0nF2kW7q', object: 'charge', receipt_url: 'https://pay.stripe.com/receipts/x' };
    };

    // Act
    const { write } = await paymentOf('payment_intent.succeeded.direct', edit);

    // Assess
    expect(write.set.latestCharge).toBe('ch_3S3kS1B7WZ01zgkW0nF2kW7q');
  });

  test('unknown extra keys and request: null project the same record', async () => {
    // Prepare
    const baseline = await paymentOf('payment_intent.succeeded.destination');
    const edit = (event: EditableEvent, intent: Record<string, unknown>) => {
      event.request = null;
      event.context = 'unknown-envelope-key';
      intent.future_field = 'unknown-object-key';
    };

    // Act
    const result = await paymentOf('payment_intent.succeeded.destination', edit);

    // Assess
    expect(result).toEqual(baseline);
  });
});
