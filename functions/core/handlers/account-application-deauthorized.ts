import type { EventHandler } from '../handler-registry';

/** Records which application lost access to which account. */
export const handleAccountApplicationDeauthorized: EventHandler<'account.application.deauthorized'> = async ({ event, account }) => ({
  account: account ?? null,
  application: event.data.object.id,
});
