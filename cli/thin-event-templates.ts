import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { buildEvent, newStripeId } from './event-templates';

/** The v2 account the thin templates were written for; `--account` replaces it everywhere. */
export const THIN_TEMPLATE_ACCOUNT = 'acct_1QxV2mT8sYn4KpLd';
const TEMPLATE_PERSON = 'person_1QxV2nR4wLp8HbTq0sKe5Xa9';

/** What each thin event type names as its related object. */
const RELATED = { account: 'account', person: 'person', link: 'link', payout: 'payout' } as const;
type Related = (typeof RELATED)[keyof typeof RELATED];

/** The thin events `trigger` can send: every Accounts v2 type and `v1.payout.failed`, each a type the stripe package knows. */
export const THIN_TRIGGER_TYPES: Readonly<Record<string, Related>> = {
  'v2.core.account.created': RELATED.account,
  'v2.core.account.updated': RELATED.account,
  'v2.core.account.closed': RELATED.account,
  'v2.core.account[requirements].updated': RELATED.account,
  'v2.core.account[future_requirements].updated': RELATED.account,
  'v2.core.account[identity].updated': RELATED.account,
  'v2.core.account[defaults].updated': RELATED.account,
  'v2.core.account[configuration.customer].updated': RELATED.account,
  'v2.core.account[configuration.merchant].updated': RELATED.account,
  'v2.core.account[configuration.recipient].updated': RELATED.account,
  'v2.core.account[configuration.customer].capability_status_updated': RELATED.account,
  'v2.core.account[configuration.merchant].capability_status_updated': RELATED.account,
  'v2.core.account[configuration.recipient].capability_status_updated': RELATED.account,
  'v2.core.account_person.created': RELATED.person,
  'v2.core.account_person.updated': RELATED.person,
  'v2.core.account_person.deleted': RELATED.person,
  'v2.core.account_link.returned': RELATED.link,
  'v1.payout.failed': RELATED.payout,
} satisfies Partial<Record<Stripe.V2.Core.EventNotification['type'], Related>>;

/**
 * A thin notification as Stripe POSTs it: the stripe package's `EventNotification` fields, with `context` still the
 * account id (stripe-node makes it a `StripeContext`) and without the fetch helpers it adds.
 */
type ThinNotificationBody = Pick<Stripe.V2.Core.EventNotification, 'id' | 'object' | 'created' | 'livemode' | 'snapshot_event'> & {
  readonly type: string;
  readonly context: string;
  readonly related_object: Stripe.Events.RelatedObject;
};

export const isThinTriggerType = (name: string): boolean => Object.hasOwn(THIN_TRIGGER_TYPES, name);

/** A thin event ready to send: the notification's exact bytes, the full event, and the objects Stripe would serve. */
export interface BuiltThinEvent {
  readonly id: string;
  readonly type: string;
  readonly account: string;
  readonly notification: string;
  readonly event: Record<string, unknown>;
  readonly accounts: ReadonlyArray<Record<string, unknown>>;
  readonly persons: ReadonlyArray<Record<string, unknown>>;
  /** For `v1.*` types: the snapshot event the notification names. */
  readonly snapshots: ReadonlyArray<Record<string, unknown>>;
}

const template = (name: string, account: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, 'event-templates', 'thin', name), 'utf8').split(THIN_TEMPLATE_ACCOUNT).join(account)) as Record<string, unknown>;

const relatedObject = (related: Related, account: string) => {
  const ids = { account, person: TEMPLATE_PERSON, link: newStripeId('accountlink'), payout: newStripeId('po') };
  const paths = {
    account: { type: 'v2.core.account', url: `/v2/core/accounts/${account}` },
    person: { type: 'v2.core.account_person', url: `/v2/core/accounts/${account}/persons/${TEMPLATE_PERSON}` },
    link: { type: 'v2.core.account_link', url: `/v2/core/account_links/${ids.link}` },
    payout: { type: 'payout', url: `/v1/payouts/${ids.payout}` },
  } as const;
  return { id: ids[related], ...paths[related] };
};

const dataOf = (type: string, account: string): Record<string, unknown> | undefined => {
  if (type.startsWith('v2.core.account_person.')) return { account_id: account };
  if (type === 'v2.core.account_link.returned') return { account_id: account, configurations: ['merchant', 'recipient'], use_case: 'account_onboarding' };
  if (type.endsWith('capability_status_updated')) return { updated_capability: type.includes('merchant') ? 'card_payments' : 'stripe_balance.payouts' };
  return undefined;
};

/**
 * Builds a thin event of `type` for `account`: a new `evt_` id, `created` now, the compact notification Stripe
 * would POST, the full event `GET /v2/core/events/{id}` would return, and the v2 account (closed for
 * `v2.core.account.closed`) and person the worker will fetch. `v1.payout.failed` names a `snapshot_event`.
 */
export const buildThinEvent = (options: { readonly type: string; readonly account?: string; readonly livemode?: boolean; readonly nowMs?: number }): BuiltThinEvent => {
  const related = THIN_TRIGGER_TYPES[options.type];
  if (related === undefined) throw new Error(`Unknown thin event type "${options.type}"`);
  const account = options.account ?? THIN_TEMPLATE_ACCOUNT;
  if (!/^acct_[A-Za-z0-9]+$/.test(account)) throw new Error(`--account must look like acct_…, got "${account}"`);
  const id = newStripeId('evt_test');
  const livemode = options.livemode ?? false;
  const base: ThinNotificationBody = {
    id,
    object: 'v2.core.event',
    type: options.type,
    created: new Date(options.nowMs ?? Date.now()).toISOString(),
    livemode,
    context: account,
    related_object: relatedObject(related, account),
    ...(related === RELATED.payout ? { snapshot_event: newStripeId('evt') } : {}),
  };
  const data = dataOf(options.type, account);
  const v2Account = { ...template('account.v2.json', account), livemode, ...(options.type === 'v2.core.account.closed' ? { closed: true } : {}) };
  const person = { ...template('account_person.v2.json', account), livemode, updated: base.created };
  return {
    id,
    type: options.type,
    account,
    notification: JSON.stringify(base),
    event: { ...base, ...(data === undefined ? {} : { data }) },
    accounts: related === RELATED.payout ? [] : [v2Account],
    persons: related === RELATED.person && options.type !== 'v2.core.account_person.deleted' ? [person] : [],
    snapshots: related === RELATED.payout ? [snapshotOf(base, account, livemode)] : [],
  };
};

/** The `payout.failed` snapshot event of a `v1.payout.failed` thin event: same account, the payout it names. */
const snapshotOf = (thin: Pick<Stripe.Events.V1PayoutFailedEventNotification, 'snapshot_event' | 'related_object'>, account: string, livemode: boolean): Record<string, unknown> => {
  const event = JSON.parse(buildEvent({ name: 'payout.failed', account, livemode }).payload) as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  return { ...event, id: thin.snapshot_event, data: { ...event.data, object: { ...event.data.object, id: thin.related_object.id } } };
};
