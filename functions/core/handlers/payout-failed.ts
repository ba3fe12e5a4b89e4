import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { summarisePayout } from './payout-state';
import { payoutAttention } from './payout-attention';
import { stateWrite } from './projection';

/**
 * `payout.failed` → the PAYOUT record (amount, failure code and message, destination, arrival date) and a
 * PAYOUT_ATTENTION flag on its destination, which `accounts show` reports as "payouts need attention". A
 * later usable update of that external account, or a later paid payout to it, clears the flag.
 */
export const projectPayoutFailed: EventHandler<'payout.failed'> = async ({ event, account }) => {
  const payout = summarisePayout(event.data.object);
  const writes = [stateWrite({ event, account, item: RecordKey.payout(payout.payoutId), set: payout })];
  if (payout.destination !== null) {
    writes.push(
      stateWrite({
        event,
        account,
        item: RecordKey.payoutAttention(payout.destination),
        set: payoutAttention({
          destination: payout.destination,
          failure: { payoutId: payout.payoutId, failureCode: payout.failureCode, failureMessage: payout.failureMessage, failedAt: event.created },
        }),
      }),
    );
  }
  return { writes, outcome: { payout: payout.payoutId, failureCode: payout.failureCode, destination: payout.destination } };
};
