import { randomUUID } from 'node:crypto';
import { DEFAULT_LEDGER_POLICY, LedgerStatus, expiryFor, isExpired, isTakeoverAllowed, newLedgerRecord } from '../../functions/core/ledger-record';
import type { LedgerPolicy, LedgerRecord } from '../../functions/core/ledger-record';
import { packPayload } from '../../functions/adapters/ledger-payload';
import type { ClaimResult, CompleteResult, EventLedger, IgnoreResult, LedgerEventFacts, ReplayMark } from '../../functions/core/ports';
import { asStored, createInMemoryStateStore, validateTransaction } from './in-memory-state-store';
import type { InMemoryStateStore } from './in-memory-state-store';

/** The reason the DynamoDB commit records on an event blocked by a deauthorization guard (`dynamodb-state-commit.ts`). */
export const DEAUTHORIZED_REASON = 'the connected account deauthorized the platform at or before this event';

/** A ledger item as stored: the commit also writes `stale` (true when every write of the event was stale). */
export type StoredLedgerRecord = LedgerRecord & { readonly stale?: boolean };

/** The in-memory ledger plus hooks for tests: seed a record, read the raw store, reach the state it commits into. */
export interface InMemoryEventLedger extends EventLedger {
  readonly policy: LedgerPolicy;
  /** The Connect state table that `complete` writes to, in the same (here: synchronous) transaction. */
  readonly state: InMemoryStateStore;
  /** Stores a record as-is, as if another worker or an earlier run had written it. */
  seed(record: LedgerRecord): void;
  /** The stored record, even when past its retention (what DynamoDB holds before the TTL sweep). */
  raw(eventId: string): StoredLedgerRecord | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An `EventLedger` with the same rules as `functions/adapters/dynamodb-event-ledger.ts`: an absent or expired
 * record is claimed; a failed or lease-expired processing record is taken over with attempts + 1; a live lease
 * is in flight; processed and ignored records are duplicates. Records are copied in and out, like a database.
 *
 * `complete` follows `functions/adapters/dynamodb-state-commit.ts`: one transaction of the lease-conditional
 * `processed` mark, one ConditionCheck per guard and one conditional Update per write. A lost lease wins over
 * everything (`lease-lost`), then a failed guard (the event is recorded `ignored`, nothing is written:
 * `blocked`); writes whose condition fails are dropped as stale and the rest retried; the record's `stale` is
 * true only when writes were dropped and none was left.
 */
export const createInMemoryEventLedger = (options: { readonly policy?: LedgerPolicy; readonly state?: InMemoryStateStore } = {}): InMemoryEventLedger => {
  const policy = options.policy ?? DEFAULT_LEDGER_POLICY;
  const state = options.state ?? createInMemoryStateStore();
  const store = new Map<string, StoredLedgerRecord>();
  const copy = (record: StoredLedgerRecord): StoredLedgerRecord => structuredClone(record);

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

  const withoutLease = (record: StoredLedgerRecord): StoredLedgerRecord => {
    const next: Mutable<StoredLedgerRecord> = { ...record };
    delete next.leaseToken;
    delete next.leaseExpiresAt;
    return next;
  };

  /** A conditional update on `leaseToken`, as `finish` does in DynamoDB. */
  const finish = (eventId: string, leaseToken: string, update: (record: StoredLedgerRecord) => StoredLedgerRecord): boolean => {
    const record = store.get(eventId);
    if (record === undefined || record.leaseToken !== leaseToken) return false;
    store.set(eventId, withoutLease(update(record)));
    return true;
  };

  const leaseHeld = (eventId: string, leaseToken: string): StoredLedgerRecord | undefined => {
    const record = store.get(eventId);
    return record !== undefined && record.leaseToken === leaseToken ? record : undefined;
  };

  // Payloads are kept beside the records, as the DynamoDB ledger keeps them compressed in its items.
  const payloads = new Map<string, string>();
  const keepPayload = (eventId: string, payload: string | undefined): Partial<LedgerRecord> => {
    const packed = packPayload(payload);
    if (packed.payloadStored === true && payload !== undefined) payloads.set(eventId, payload);
    return { ...(packed.payloadStored === undefined ? {} : { payloadStored: packed.payloadStored as boolean, payloadBytes: packed.payloadBytes as number }) };
  };
  const replayFields = (old: LedgerRecord, replay: ReplayMark | undefined, nowMs: number): Partial<LedgerRecord> =>
    replay?.force === true ? { replays: (old.replays ?? 0) + 1, lastReplayId: replay.id, lastReplayedAt: iso(nowMs) } : {};

  return {
    policy,
    state,
    payloadOf: async ({ eventId, nowMs }) => (present(eventId, nowMs) === undefined ? undefined : payloads.get(eventId)),
    seed: (record) => {
      store.set(record.eventId, copy(record));
    },
    raw: (eventId) => {
      const record = store.get(eventId);
      return record === undefined ? undefined : copy(record);
    },

    async claim({ facts, nowMs, payload, replay }): Promise<ClaimResult> {
      const leaseToken = randomUUID();
      const lease = { leaseToken, leaseExpiresAt: nowMs + policy.leaseMs };
      const old = present(facts.eventId, nowMs);
      if (old === undefined) {
        const record = newRecord(facts, nowMs, { attempts: 1, ...lease });
        store.set(facts.eventId, { ...record, ...keepPayload(facts.eventId, payload) });
        return { kind: 'claimed', record: copy(record), leaseToken };
      }
      if (!isTakeoverAllowed(old, nowMs, { force: replay?.force, replayId: replay?.id })) return classify(old, nowMs);
      const taken: LedgerRecord = {
        ...old,
        status: LedgerStatus.processing,
        updatedAt: iso(nowMs),
        expiresAt: expiryFor({ nowMs, policy }),
        attempts: old.attempts + 1,
        ...lease,
        ...replayFields(old, replay, nowMs),
      };
      store.set(facts.eventId, taken);
      return { kind: 'claimed', record: copy(taken), leaseToken };
    },

    async ignore({ facts, reason, nowMs, payload, replay }): Promise<IgnoreResult> {
      const old = present(facts.eventId, nowMs);
      if (old === undefined) {
        store.set(facts.eventId, { ...newRecord(facts, nowMs, { status: LedgerStatus.ignored, ignoredReason: reason }), ...keepPayload(facts.eventId, payload) });
        return { kind: 'recorded' };
      }
      if (!isTakeoverAllowed(old, nowMs, { force: replay?.force, replayId: replay?.id })) return classify(old, nowMs);
      store.set(facts.eventId, withoutLease({ ...old, status: LedgerStatus.ignored, ignoredReason: reason, updatedAt: iso(nowMs), ...replayFields(old, replay, nowMs) }));
      return { kind: 'recorded' };
    },

    async complete({ eventId, leaseToken, outcome, writes, guards = [], nowMs }): Promise<CompleteResult> {
      validateTransaction(writes, guards);
      let pending = [...writes];
      let stale = 0;
      // Each pass is one transaction; nothing runs concurrently here, so there are no conflicts to retry.
      for (;;) {
        if (leaseHeld(eventId, leaseToken) === undefined) return { kind: 'lease-lost' };
        if (!guards.every((guard) => state.guardHolds(guard))) {
          finish(eventId, leaseToken, (record) => ({ ...record, status: LedgerStatus.ignored, ignoredReason: DEAUTHORIZED_REASON, updatedAt: iso(nowMs) }));
          return { kind: 'blocked', reason: DEAUTHORIZED_REASON };
        }
        const accepted = pending.filter((write) => state.acceptsWrite(write));
        if (accepted.length < pending.length) {
          stale += pending.length - accepted.length;
          pending = accepted;
          continue;
        }
        const applied = pending.length;
        finish(eventId, leaseToken, (record) => ({
          ...record,
          processedAt: iso(nowMs),
          updatedAt: iso(nowMs),
          outcome: asStored(outcome) as Record<string, unknown>,
          expiresAt: expiryFor({ nowMs, policy }),
          status: LedgerStatus.processed,
          stale: applied === 0 && stale > 0,
        }));
        for (const write of pending) state.apply(write);
        return { kind: 'completed', applied, stale };
      }
    },

    fail: async ({ eventId, leaseToken, error, nowMs }) =>
      finish(eventId, leaseToken, (record) => ({ ...record, status: LedgerStatus.failed, lastError: error.slice(0, 1000), updatedAt: iso(nowMs) })),

    async get({ eventId, nowMs }) {
      const record = present(eventId, nowMs);
      return record === undefined ? undefined : copy(record);
    },

    async list({ status, eventType, account, createdSince, createdUntil, limit, nowMs }) {
      return [...store.values()]
        .filter((record) => !isExpired(record, nowMs))
        .filter((record) => createdSince === undefined || record.created >= createdSince)
        .filter((record) => createdUntil === undefined || record.created < createdUntil)
        .filter((record) => status === undefined || record.status === status)
        .filter((record) => eventType === undefined || record.eventType === eventType)
        .filter((record) => account === undefined || record.account === account)
        .sort((a, b) => b.firstReceivedAt.localeCompare(a.firstReceivedAt))
        .slice(0, limit)
        .map(copy);
    },
  };
};
