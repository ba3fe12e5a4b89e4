import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { summariseExternalAccount } from './external-account-state';
import { payoutAttention } from './payout-attention';
import { stateWrite } from './projection';

/**
 * `account.external_account.updated` → the EXTERNAL_ACCOUNT record (status, currency, last4, bank or brand).
 * An update that leaves the destination usable clears the "payouts need attention" flag a failed payout set
 * on it: the account holder fixed or replaced it.
 */
export const projectExternalAccountUpdated: EventHandler<'account.external_account.updated'> = async ({ event, account }) => {
  const external = event.data.object;
  const owner = account ?? ('account' in external ? (typeof external.account === 'string' ? external.account : external.account?.id) : undefined);
  const summary = summariseExternalAccount(external);
  const writes = [stateWrite({ event, account: owner, item: RecordKey.externalAccount(external.id), set: summary })];
  if (!summary.needsAttention) {
    writes.push(stateWrite({ event, account: owner, item: RecordKey.payoutAttention(external.id), set: payoutAttention({ destination: external.id, clearedBy: { reason: 'external_account_updated' } }) }));
  }
  return { writes, outcome: { externalAccount: external.id, status: summary.status, needsAttention: summary.needsAttention } };
};
