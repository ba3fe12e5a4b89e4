import type Stripe from 'stripe';
import { idOf, isoFromSeconds } from './projection';

/** The PAYOUT record's fields. */
export const summarisePayout = (payout: Stripe.Payout) => ({
  payoutId: payout.id,
  status: payout.status,
  amount: payout.amount,
  currency: payout.currency,
  destination: idOf(payout.destination),
  arrivalDate: isoFromSeconds(payout.arrival_date),
  createdAt: isoFromSeconds(payout.created),
  failureCode: payout.failure_code ?? null,
  failureMessage: payout.failure_message ?? null,
  method: payout.method ?? null,
});
