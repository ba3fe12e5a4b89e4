import type Stripe from 'stripe';
import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { listOf, stateWrite } from './projection';

const funds = (entries: readonly Stripe.Balance.Available[] | readonly Stripe.Balance.Pending[] | null | undefined) =>
  listOf(entries).map((entry) => ({ currency: entry.currency, amount: entry.amount, sourceTypes: { ...(entry.source_types ?? {}) } }));

/** `balance.available` → the latest BALANCE snapshot (available and pending per currency and source type) of the account or the platform. */
export const projectBalanceAvailable: EventHandler<'balance.available'> = async ({ event, account }) => {
  const balance = event.data.object;
  const available = funds(balance.available);
  return {
    writes: [stateWrite({ event, account, item: RecordKey.balance, set: { available, pending: funds(balance.pending) } })],
    outcome: { owner: account ?? 'platform', currencies: available.map((entry) => entry.currency) },
  };
};
