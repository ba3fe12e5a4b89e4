import type { EventHandler } from '../handler-registry';
import { AUTHORIZATION_FACET } from '../state/authorization';
import { projectAuthorization } from './authorization-state';
import { isoFromSeconds } from './projection';

/**
 * `account.application.authorized` → the authorization facet of the account's authorization records. An
 * account that connected the platform again after a deauthorization processes its events created after this
 * one; events between the deauthorization and this stay ignored. Each facet follows the version rule on its
 * own, so the two events may arrive in any order.
 */
export const projectAccountApplicationAuthorized: EventHandler<'account.application.authorized'> = async ({ event, account }) => {
  const set = { authorizedAt: isoFromSeconds(event.created), authorizedApplication: event.data.object.id };
  return projectAuthorization({ event, account, facet: AUTHORIZATION_FACET, set, outcomeKey: 'authorized' });
};
