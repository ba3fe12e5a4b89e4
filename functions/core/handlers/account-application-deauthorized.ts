import type { EventHandler } from '../handler-registry';
import { DEAUTHORIZATION_FACET } from '../state/authorization';
import { projectAuthorization } from './authorization-state';
import { isoFromSeconds } from './projection';

/**
 * `account.application.deauthorized` → the deauthorization facet of the account's authorization records: when,
 * and which application. The account's other records are kept; its events created after this one are recorded
 * `ignored`, until an `account.application.authorized` created later.
 */
export const projectAccountApplicationDeauthorized: EventHandler<'account.application.deauthorized'> = async ({ event, account }) => {
  const application = event.data.object;
  const set = { deauthorizedAt: isoFromSeconds(event.created), application: application.id, applicationName: application.name ?? null };
  return projectAuthorization({ event, account, facet: DEAUTHORIZATION_FACET, set, outcomeKey: 'deauthorized' });
};
