import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { deriveAccountStatus } from '../state/account-status';
import { isoFromSeconds, stateWrite, summariseRequirements } from './projection';

/** The profile facet of the account's PROFILE record (the deauthorization is ordered separately). */
export const PROFILE_FACET = 'profile';

/**
 * `account.updated` → the account's PROFILE: capability flags, requirements now and in the future (with
 * deadlines), capability statuses, identity, and the status derived from them.
 */
export const projectAccountUpdated: EventHandler<'account.updated'> = async ({ event }) => {
  const account = event.data.object;
  const requirements = { ...summariseRequirements(account.requirements), disabledReason: account.requirements?.disabled_reason ?? null, currentDeadline: isoFromSeconds(account.requirements?.current_deadline) };
  const futureRequirements = { ...summariseRequirements(account.future_requirements), disabledReason: account.future_requirements?.disabled_reason ?? null, currentDeadline: isoFromSeconds(account.future_requirements?.current_deadline) };
  const profile = {
    accountId: account.id,
    type: account.type ?? null,
    controller: account.controller ? { type: account.controller.type ?? null, requirementCollection: account.controller.requirement_collection ?? null, dashboard: account.controller.stripe_dashboard?.type ?? null } : null,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    detailsSubmitted: account.details_submitted ?? false,
    country: account.country ?? null,
    defaultCurrency: account.default_currency ?? null,
    businessName: account.business_profile?.name ?? account.company?.name ?? null,
    email: account.email ?? null,
    capabilities: { ...(account.capabilities ?? {}) },
    requirements,
    futureRequirements,
  };
  const profileStatus = deriveAccountStatus(profile, false);
  return {
    writes: [stateWrite({ event, account: account.id, item: RecordKey.profile, facet: PROFILE_FACET, set: { ...profile, profileStatus } })],
    outcome: { profileStatus },
  };
};
