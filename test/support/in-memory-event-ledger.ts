import { randomUUID } from 'node:crypto';
import { DEFAULT_LEDGER_POLICY, LedgerStatus, expiryFor, isExpired, isTakeoverAllowed, newLedgerRecord } from '../../functions/core/ledger-record';
import type { LedgerPolicy, LedgerRecord } from '../../functions/core/ledger-record';
import type { ClaimResult, EventLedger, IgnoreResult, LedgerEventFacts } from '../../functions/core/ports';

/** The in-memory ledger plus hooks for tests: seed a record, read the raw store. */
export interface InMemoryEventLedger extends EventLedger {
  readonly policy: LedgerPolicy;
  /** Stores a record as-is, as if another worker or an earlier run had written it. */
  seed(record: LedgerRecord): void;
  /** The stored record, even when past its retention (what DynamoDB holds before the TTL sweep). */
  raw(eventId: string): LedgerRecord | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An `EventLedger` with the same rules as `functions/adapters/dynamodb-event-ledger.ts`: an absent or expired
 * record is claimed; a failed or lease-expired processing record is taken over with attempts + 1; a live lease
 * is in flight; processed and ignored records are duplicates. Records are copied in and out, like a database.
 */
export const createInMemoryEventLedger = (options: { readonly policy?: LedgerPolicy } = {}): InMemoryEventLedger => {
  const policy = options.policy ?? DEFAULT_LEDGER_POLICY;
  const store = new Map<string, LedgerRecord>();
  const copy = (record: LedgerRecord): LedgerRecord => structuredClone(record);

  const newRecord = (facts: LedgerEventFacts, nowMs: number, fields: Partial<LedgerRecord>): LedgerRecord =>
    newLedgerRecord({ facts, nowMs, policy, fields });

  /** The live record, or undefined when missing or past its retention (DynamoDB's `ABSENT` condition). */
  const present = (eventId: string, nowMs: number): LedgerRecord | undefined => {
    const record = store.get(eventId);
    return record === undefined || isExpired(record, nowMs) ? undefined : record;
  };

  const classify = (old: LedgerRecord, nowMs: number): Exclude<ClaimResult, { kind: 'claimed' }> => {
    const live = old.status === LedgerStatus.processing && (old.leaseExpiresAt ?? 0) > nowMs;
    return live ? { kind: 'in-flight', record: copy(old) } : { kind: 'duplicate', record: copy(old) };
  };

  const withoutLease = (record: LedgerRecord): LedgerRecord => {
    const next: Mutable<LedgerRecord> = { ...record };
    delete next.leaseToken;
    delete next.leaseExpiresAt;
    return next;
  };

  /** A conditional update on `leaseToken`, as `finish` does in DynamoDB. */
  const finish = (eventId: string, leaseToken: string, update: (record: LedgerRecord) => LedgerRecord): boolean => {
    const record = store.get(eventId);
    if (record === undefined || record.leaseToken !== leaseToken) return false;
    store.set(eventId, withoutLease(update(record)));
    return true;
  };

  return {
    policy,
    seed: (record) => {
      store.set(record.eventId, copy(record));
    },
    raw: (eventId) => {
      const record = store.get(eventId);
      return record === undefined ? undefined : copy(record);
    },

    async claim({ facts, nowMs }): Promise<ClaimResult> {
      const leaseToken = randomUUID();
      const lease = { leaseToken, leaseExpiresAt: nowMs + policy.leaseMs };
      const old = present(facts.eventId, nowMs);
      if (old === undefined) {
        const record = newRecord(facts, nowMs, { attempts: 1, ...lease });
        store.set(facts.eventId, record);
        return { kind: 'claimed', record: copy(record), leaseToken };
      }
      if (!isTakeoverAllowed(old, nowMs)) return classify(old, nowMs);
      const taken: LedgerRecord = {
        ...old,
        status: LedgerStatus.processing,
        updatedAt: iso(nowMs),
        expiresAt: expiryFor({ nowMs, policy }),
        attempts: old.attempts + 1,
        ...lease,
      };
      store.set(facts.eventId, taken);
      return { kind: 'claimed', record: copy(taken), leaseToken };
    },

    async ignore({ facts, reason, nowMs }): Promise<IgnoreResult> {
      const old = present(facts.eventId, nowMs);
      if (old === undefined) {
        store.set(facts.eventId, newRecord(facts, nowMs, { status: LedgerStatus.ignored, ignoredReason: reason }));
        return { kind: 'recorded' };
      }
      if (!isTakeoverAllowed(old, nowMs)) return classify(old, nowMs);
      store.set(facts.eventId, withoutLease({ ...old, status: LedgerStatus.ignored, ignoredReason: reason, updatedAt: iso(nowMs) }));
      return { kind: 'recorded' };
    },

    complete: async ({ eventId, leaseToken, outcome, nowMs }) =>
      finish(eventId, leaseToken, (record) => ({
        ...record,
        status: LedgerStatus.processed,
        processedAt: iso(nowMs),
        outcome: structuredClone(outcome),
        expiresAt: expiryFor({ nowMs, policy }),
        updatedAt: iso(nowMs),
      })),

    fail: async ({ eventId, leaseToken, error, nowMs }) =>
      finish(eventId, leaseToken, (record) => ({ ...record, status: LedgerStatus.failed, lastError: error.slice(0, 1000), updatedAt: iso(nowMs) })),

    async get({ eventId, nowMs }) {
      const record = present(eventId, nowMs);
      return record === undefined ? undefined : copy(record);
    },

    async list({ status, eventType, account, limit, nowMs }) {
      return [...store.values()]
        .filter((record) => !isExpired(record, nowMs))
        .filter((record) => status === undefined || record.status === status)
        .filter((record) => eventType === undefined || record.eventType === eventType)
        .filter((record) => account === undefined || record.account === account)
        .sort((a, b) => b.firstReceivedAt.localeCompare(a.firstReceivedAt))
        .slice(0, limit)
        .map(copy);
    },
  };
};
