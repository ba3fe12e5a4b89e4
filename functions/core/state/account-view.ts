/**
 * Read models of the Connect state table for operators: the view of one account in one mode (`accounts show`)
 * and one summary line per account (`accounts list`). Pure: the records come from an `AccountStateReader`.
 */
import { RecordKey, parsePartition, partitionOf, recordTypeOf } from './account-keys';
import { deriveAccountStatus } from './account-status';
import { authorizationVersionsOf, isDeauthorized } from './authorization';
import type { AccountStatus, StatusInputs } from './account-status';
import { isRecord } from '../stripe-event';

/** A raw item of the state table, as the reader returns it (`pk`, `sk` and the bookkeeping included). */
export type StateRecord = Readonly<Record<string, unknown>>;

/**
 * A record as printed: its own fields without the keys and versions, plus which event last wrote it.
 * `lastEventCreated` is that event's `created` as an ISO timestamp.
 */
export type ViewRecord = Readonly<Record<string, unknown>> & { readonly lastEventId: string | null; readonly lastEventCreated: string | null };

/** At most this many payouts and payments are shown; older ones stay in the table. */
export const VIEW_LIMIT = 20;

/** Everything the state table knows about one connected account (or the platform) in one mode. */
export interface AccountView {
  /** The connected account; null for the platform's own partition. */
  readonly account: string | null;
  readonly mode: 'live' | 'test';
  /** Derived from the PROFILE and whether a DEAUTHORIZATION was recorded; null when neither exists. */
  readonly status: AccountStatus | null;
  readonly profile: ViewRecord | null;
  readonly deauthorization: ViewRecord | null;
  readonly persons: readonly ViewRecord[];
  readonly externalAccounts: readonly ViewRecord[];
  /** True when any payout destination carries an uncleared failure flag. */
  readonly payoutsNeedAttention: boolean;
  /** Only the flags still set; cleared ones are history. */
  readonly payoutAttention: readonly ViewRecord[];
  /** Newest first by `createdAt`, at most `VIEW_LIMIT`. */
  readonly recentPayouts: readonly ViewRecord[];
  /** Newest first by `succeededAt`, at most `VIEW_LIMIT`. */
  readonly payments: readonly ViewRecord[];
  readonly balance: ViewRecord | null;
}

/** One line of `accounts list`. */
export interface AccountSummary {
  readonly account: string;
  readonly mode: 'live' | 'test';
  readonly status: AccountStatus | null;
  readonly businessName: string | null;
  /** Null when only a deauthorization is known: the profile was never received. */
  readonly chargesEnabled: boolean | null;
  readonly payoutsEnabled: boolean | null;
  readonly deauthorizedAt: string | null;
}

// `pk` and `sk` are the table's key attributes; the reader port returns items whole, keys included.
const BOOKKEEPING = new Set(['pk', 'sk', 'sourceEventId', 'sourceEventCreated']);
const isBookkeeping = (name: string): boolean => BOOKKEEPING.has(name) || name.endsWith('Version');

const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const booleanOr = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []);

/** Numbers may arrive as strings from a document client configured to wrap them; both are accepted. */
const isoFromEventCreated = (value: unknown): string | null => {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null;
};

/** The record without keys and versions, with the audit pair of the event that last wrote it. */
export const toViewRecord = (record: StateRecord): ViewRecord => {
  const fields = Object.fromEntries(Object.entries(record).filter(([name]) => !isBookkeeping(name)));
  return { ...fields, lastEventId: stringOr(record.sourceEventId), lastEventCreated: isoFromEventCreated(record.sourceEventCreated) };
};

/**
 * The status inputs of a PROFILE record, or undefined when it lacks the capability flags. Read defensively:
 * records written by older projections may miss the newer requirement fields.
 */
export const statusInputsOf = (profile: StateRecord | undefined): StatusInputs | undefined => {
  if (profile === undefined || typeof profile.chargesEnabled !== 'boolean' || typeof profile.payoutsEnabled !== 'boolean') return undefined;
  const requirements = isRecord(profile.requirements) ? profile.requirements : {};
  const future = isRecord(profile.futureRequirements) ? profile.futureRequirements : undefined;
  return {
    chargesEnabled: profile.chargesEnabled,
    payoutsEnabled: profile.payoutsEnabled,
    requirements: { currentlyDue: strings(requirements.currentlyDue), pastDue: strings(requirements.pastDue), disabledReason: stringOr(requirements.disabledReason) },
    ...(future === undefined ? {} : { futureRequirements: { currentlyDue: strings(future.currentlyDue), pastDue: strings(future.pastDue) } }),
    ...(profile.closed === true ? { closed: true } : {}),
    ...(Array.isArray(profile.restrictedCapabilities) ? { restrictedCapabilities: strings(profile.restrictedCapabilities) } : {}),
  };
};

/** Deauthorized: a DEAUTHORIZATION record whose newest deauthorization no later re-authorization follows. */
const isStillDeauthorized = (record: StateRecord | undefined): boolean => {
  if (record === undefined) return false;
  const versions = authorizationVersionsOf(record);
  return versions.authorized === undefined || isDeauthorized(versions);
};

const statusOf = (profile: StateRecord | undefined, deauthorization: StateRecord | undefined): AccountStatus | null =>
  deriveAccountStatus(statusInputsOf(profile), isStillDeauthorized(deauthorization)) ?? null;

/** Newest first by an ISO timestamp field; records without it go last, ties broken by sort key so output is stable. */
const newestFirst =
  (field: string) =>
  (left: StateRecord, right: StateRecord): number => {
    const a = stringOr(left[field]) ?? '';
    const b = stringOr(right[field]) ?? '';
    if (a !== b) return a < b ? 1 : -1;
    return String(left.sk ?? '').localeCompare(String(right.sk ?? ''));
  };

const bySortKey = (left: StateRecord, right: StateRecord): number => String(left.sk ?? '').localeCompare(String(right.sk ?? ''));

/** Records grouped by the type named in their sort key; types no projection writes are left out of the view. */
const groupByType = (records: readonly StateRecord[]): Map<string, StateRecord[]> => {
  const groups = new Map<string, StateRecord[]>();
  for (const record of records) {
    const type = recordTypeOf(String(record.sk ?? ''));
    groups.set(type, [...(groups.get(type) ?? []), record]);
  }
  return groups;
};

const single = (groups: Map<string, StateRecord[]>, key: string): StateRecord | undefined => groups.get(key)?.[0];

const listed = (groups: Map<string, StateRecord[]>, item: string, order: (left: StateRecord, right: StateRecord) => number, limit = Infinity): ViewRecord[] =>
  [...(groups.get(recordTypeOf(item)) ?? [])].sort(order).slice(0, limit).map(toViewRecord);

/** The view of an account's records in one mode: its profile partition's and its write shards' (`partitionsOf`). */
export const buildAccountView = (input: { readonly partition: string; readonly records: readonly StateRecord[] }): AccountView => {
  const { account, mode } = parsePartition(input.partition);
  const groups = groupByType(input.records);
  const profile = single(groups, RecordKey.profile);
  const deauthorization = single(groups, RecordKey.deauthorization);
  const balance = single(groups, RecordKey.balance);
  const payoutAttention = listed(groups, RecordKey.payoutAttention(''), bySortKey).filter((flag) => flag.needsAttention === true);
  return {
    account: account ?? null,
    mode,
    status: statusOf(profile, deauthorization),
    profile: profile === undefined ? null : toViewRecord(profile),
    deauthorization: deauthorization === undefined ? null : toViewRecord(deauthorization),
    // A v2 person deleted at Stripe stays as a tombstone (so an older update cannot bring it back), unlisted.
    persons: listed(groups, RecordKey.person(''), bySortKey).filter((person) => person.deleted !== true),
    externalAccounts: listed(groups, RecordKey.externalAccount(''), bySortKey),
    payoutsNeedAttention: payoutAttention.length > 0,
    payoutAttention,
    recentPayouts: listed(groups, RecordKey.payout(''), newestFirst('createdAt'), VIEW_LIMIT),
    payments: listed(groups, RecordKey.payment(''), newestFirst('succeededAt'), VIEW_LIMIT),
    balance: balance === undefined ? null : toViewRecord(balance),
  };
};

/**
 * One summary per connected account and mode, from PROFILE and DEAUTHORIZATION records
 * (`AccountStateReader.profiles`), ordered by account then mode. The platform's partitions are skipped: it
 * has no profile of its own.
 */
export const summariseAccounts = (profileRecords: readonly StateRecord[]): AccountSummary[] => {
  const partitions = new Map<string, { profile?: StateRecord; deauthorization?: StateRecord }>();
  for (const record of profileRecords) {
    // A write shard's records belong to the same account and mode as its profile partition.
    const { account, mode } = parsePartition(String(record.pk ?? ''));
    const partition = partitionOf({ account, livemode: mode === 'live' });
    const entry = partitions.get(partition) ?? {};
    if (record.sk === RecordKey.profile) entry.profile = record;
    else if (record.sk === RecordKey.deauthorization) entry.deauthorization = record;
    // Any other record (a balance, a payment…) still puts its account and mode on the list, without a profile.
    partitions.set(partition, entry);
  }
  const summaries: AccountSummary[] = [];
  for (const [partition, { profile, deauthorization }] of partitions) {
    const { account, mode } = parsePartition(partition);
    if (account === undefined) continue;
    summaries.push({
      account,
      mode,
      status: statusOf(profile, deauthorization),
      businessName: stringOr(profile?.businessName),
      chargesEnabled: booleanOr(profile?.chargesEnabled),
      payoutsEnabled: booleanOr(profile?.payoutsEnabled),
      deauthorizedAt: stringOr(deauthorization?.deauthorizedAt),
    });
  }
  return summaries.sort((left, right) => left.account.localeCompare(right.account) || left.mode.localeCompare(right.mode));
};
