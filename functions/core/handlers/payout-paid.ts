import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { summarisePayout } from './payout-state';
import { payoutAttention } from './payout-attention';
import { stateWrite } from './projection';

/** `payout.paid` → the PAYOUT record, and its destination's "payouts need attention" flag cleared: money arrived there. */
export const projectPayoutPaid: EventHandler<'payout.paid'> = async ({ event, account }) => {
  const payout = summarisePayout(event.data.object);
  const writes = [stateWrite({ event, account, item: RecordKey.payout(payout.payoutId), set: payout })];
  if (payout.destination !== null) {
    writes.push(stateWrite({ event, account, item: RecordKey.payoutAttention(payout.destination), set: payoutAttention({ destination: payout.destination, clearedBy: { reason: 'payout_paid', payoutId: payout.payoutId } }) }));
  }
  return { writes, outcome: { payout: payout.payoutId, status: payout.status } };
};
