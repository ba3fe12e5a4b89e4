import type Stripe from 'stripe';
import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { idOf, isoFromSeconds, stateWrite } from './projection';

/** How the payment relates to the connected account. */
export const ChargeType = { direct: 'direct', destination: 'destination', onBehalfOf: 'on_behalf_of', platform: 'platform' } as const;

/** Whose payment it is: the event's account (direct charge), else `transfer_data.destination`, else `on_behalf_of`, else the platform. */
export const paymentOwner = (intent: Stripe.PaymentIntent, account: string | undefined) => {
  if (account !== undefined) return { owner: account, chargeType: ChargeType.direct };
  const destination = idOf(intent.transfer_data?.destination);
  if (destination !== null) return { owner: destination, chargeType: ChargeType.destination };
  const onBehalfOf = idOf(intent.on_behalf_of);
  if (onBehalfOf !== null) return { owner: onBehalfOf, chargeType: ChargeType.onBehalfOf };
  return { owner: undefined, chargeType: ChargeType.platform };
};

/**
 * `payment_intent.succeeded` → a PAYMENT record under the account it belongs to, with a `fulfilmentStatus`
 * that starts `pending` and is the platform's to advance: a replayed or late event never resets it.
 */
export const projectPaymentIntentSucceeded: EventHandler<'payment_intent.succeeded'> = async ({ event, account }) => {
  const intent = event.data.object;
  const { owner, chargeType } = paymentOwner(intent, account);
  const write = stateWrite({
    event,
    account: owner,
    item: RecordKey.payment(intent.id),
    set: {
      paymentIntentId: intent.id,
      chargeType,
      status: intent.status,
      amount: intent.amount,
      amountReceived: intent.amount_received ?? intent.amount,
      currency: intent.currency,
      applicationFeeAmount: intent.application_fee_amount ?? null,
      latestCharge: idOf(intent.latest_charge),
      metadata: { ...(intent.metadata ?? {}) },
      createdAt: isoFromSeconds(intent.created),
      succeededAt: isoFromSeconds(event.created),
    },
    setOnce: { fulfilmentStatus: 'pending' },
  });
  return { writes: [write], outcome: { paymentIntent: intent.id, owner: owner ?? 'platform', chargeType } };
};
