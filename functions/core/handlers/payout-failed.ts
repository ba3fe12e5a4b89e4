import type { EventHandler } from '../handler-registry';

/** Records the failed payout and why it failed. */
export const handlePayoutFailed: EventHandler<'payout.failed'> = async ({ event, account }) => ({
  account: account ?? null,
  payout: event.data.object.id,
  failureCode: event.data.object.failure_code,
});
