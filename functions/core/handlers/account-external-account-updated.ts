import type { EventHandler } from '../handler-registry';

/** Records the bank account's or card's status; never numbers beyond what Stripe already masks. */
export const handleAccountExternalAccountUpdated: EventHandler<'account.external_account.updated'> = async ({ event, account }) => {
  const external = event.data.object;
  return {
    account: account ?? null,
    externalAccount: external.id,
    kind: external.object,
    status: 'status' in external ? (external.status ?? null) : null,
  };
};
