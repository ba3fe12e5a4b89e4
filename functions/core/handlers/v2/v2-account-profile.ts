import type Stripe from 'stripe';
import type { HandlerResult } from '../../handler-registry';
import { RecordKey } from '../../state/account-keys';
import { deriveAccountStatus } from '../../state/account-status';
import { isRecord } from '../../stripe-event';
import type { ThinHandlerInput } from '../../thin-handler';
import { PROFILE_FACET } from '../account-updated';
import { v2StateWrite, v2Version } from './v2-versions';

type Account = Stripe.V2.Core.Account;
type RequirementEntry = Stripe.V2.Core.Account.Requirements.Entry | Stripe.V2.Core.Account.FutureRequirements.Entry;

/** Every capability of every configuration, by `<configuration>.<capability path>`, e.g. `recipient.stripe_balance.payouts`. */
export const capabilityStatuses = (configuration: Account['configuration']): Record<string, string> => {
  const statuses: Record<string, string> = {};
  const walk = (prefix: string, value: unknown): void => {
    if (!isRecord(value)) return;
    if (typeof value.status === 'string') {
      statuses[prefix] = value.status;
      return;
    }
    for (const [name, child] of Object.entries(value)) walk(`${prefix}.${name}`, child);
  };
  for (const [name, config] of Object.entries(configuration ?? {})) if (isRecord(config)) walk(name, config.capabilities);
  return statuses;
};

/** Requirements reduced to what operators act on: each entry's field, who must act, its deadline status and what it restricts. */
export const summariseV2Requirements = (requirements: { readonly entries?: readonly RequirementEntry[]; readonly summary?: { readonly minimum_deadline?: { readonly status: string; readonly time?: string } } } | undefined) => {
  const entries = requirements?.entries ?? [];
  const withStatus = (status: string) => entries.filter((entry) => entry.minimum_deadline.status === status).map((entry) => entry.description);
  const deadline = requirements?.summary?.minimum_deadline;
  return {
    entries: entries.map((entry) => ({
      requirement: entry.description,
      awaitingActionFrom: entry.awaiting_action_from,
      deadlineStatus: entry.minimum_deadline.status,
      restricts: (entry.impact.restricts_capabilities ?? []).map((impact) => ({ configuration: impact.configuration, capability: impact.capability, deadlineStatus: impact.deadline.status })),
      errors: entry.errors.map((error) => ({ code: error.code })),
      reference: entry.reference === undefined ? null : { type: entry.reference.type, resource: entry.reference.resource ?? null },
    })),
    currentlyDue: withStatus('currently_due'),
    pastDue: withStatus('past_due'),
    eventuallyDue: withStatus('eventually_due'),
    minimumDeadlineStatus: deadline?.status ?? null,
    currentDeadline: deadline?.time ?? null,
  };
};

/** The profile of a v2 account, shaped like the v1 one where the meaning is the same; never personal or tax data. */
export const v2AccountProfile = (account: Account) => {
  const capabilities = capabilityStatuses(account.configuration);
  const statuses = Object.entries(capabilities);
  const rejected = statuses.some(([, status]) => status === 'rejected');
  const requirements = { ...summariseV2Requirements(account.requirements), disabledReason: rejected ? 'rejected.other' : null };
  const futureRequirements = { ...summariseV2Requirements(account.future_requirements), minimumTransitionDate: account.future_requirements?.minimum_transition_date ?? null };
  const profile = {
    accountId: account.id,
    accountsApi: 'v2',
    appliedConfigurations: [...account.applied_configurations],
    dashboard: account.dashboard ?? null,
    closed: account.closed === true,
    chargesEnabled: capabilities['merchant.card_payments'] === 'active',
    payoutsEnabled: statuses.some(([name, status]) => name.endsWith('stripe_balance.payouts') && status === 'active'),
    country: account.identity?.country ?? null,
    defaultCurrency: account.defaults?.currency ?? null,
    businessName: account.display_name ?? account.identity?.business_details?.registered_name ?? null,
    email: account.contact_email ?? null,
    identity: { country: account.identity?.country ?? null, entityType: account.identity?.entity_type ?? null, registeredName: account.identity?.business_details?.registered_name ?? null },
    capabilities,
    restrictedCapabilities: statuses.filter(([, status]) => status !== 'active').map(([name]) => name).sort(),
    requirements,
    futureRequirements,
  };
  return { ...profile, profileStatus: deriveAccountStatus(profile, false) ?? null };
};

/** The account a thin account event is about: its related object, else its context. */
const accountIdOf = (input: ThinHandlerInput<Stripe.V2.Core.Event>): string | undefined => {
  const related = input.notification.relatedObject;
  return related?.type === 'v2.core.account' ? related.id : input.account;
};

/**
 * Every Accounts v2 account event → the account's PROFILE, from the account fetched now with every include.
 * Which part changed does not matter: the fetched object is the whole current state.
 */
export const projectV2AccountProfile = async (input: ThinHandlerInput<Stripe.V2.Core.Event>, accountId = accountIdOf(input)): Promise<HandlerResult> => {
  if (accountId === undefined) return { outcome: { skipped: 'no account named by the event' } };
  const freshAtMs = input.clock();
  const account = await input.stripe.fetchAccount(accountId);
  const profile = v2AccountProfile(account);
  const version = v2Version({ eventCreated: input.event.created, freshAtMs, eventId: input.event.id });
  return {
    writes: [v2StateWrite({ event: input.event, account: account.id, item: RecordKey.profile, facet: PROFILE_FACET, version, set: profile })],
    outcome: { profileStatus: profile.profileStatus, closed: profile.closed },
  };
};
