import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { isoFromSeconds, stateWrite } from './projection';

/**
 * `account.application.deauthorized` → a DEAUTHORIZATION record: when, and which application. The account's
 * other records are kept; its events created after this one are recorded `ignored`.
 */
export const projectAccountApplicationDeauthorized: EventHandler<'account.application.deauthorized'> = async ({ event, account }) => {
  if (account === undefined) return { outcome: { skipped: 'platform event without a connected account' } };
  const application = event.data.object;
  return {
    writes: [
      stateWrite({
        event,
        account,
        item: RecordKey.deauthorization,
        set: { deauthorizedAt: isoFromSeconds(event.created), application: application.id, applicationName: application.name ?? null },
      }),
    ],
    outcome: { deauthorized: account },
  };
};
