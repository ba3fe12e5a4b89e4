import type { EventHandler } from '../handler-registry';

/** Records the currencies with an available balance, for the platform or the connected account. */
export const handleBalanceAvailable: EventHandler<'balance.available'> = async ({ event, account }) => ({
  account: account ?? 'platform',
  currencies: event.data.object.available.map((entry) => entry.currency),
});
