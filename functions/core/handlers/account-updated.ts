import type { EventHandler } from '../handler-registry';

/** Records the account's capability flags; the projection into Connect state comes with the state table. */
export const handleAccountUpdated: EventHandler<'account.updated'> = async ({ event }) => ({
  account: event.data.object.id,
  chargesEnabled: event.data.object.charges_enabled,
  payoutsEnabled: event.data.object.payouts_enabled,
  disabledReason: event.data.object.requirements?.disabled_reason ?? null,
});
