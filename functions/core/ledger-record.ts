import type { LedgerEventFacts } from './ports';

/** Lifecycle of an event in the ledger. */
export const LedgerStatus = {
  /** A worker holds the lease and is running the handlers. */
  processing: 'processing',
  /** Handlers ran to completion; later deliveries are duplicates. */
  processed: 'processed',
  /** The last run threw; the next delivery runs it again. */
  failed: 'failed',
  /** Acknowledged without running anything (no handler for the type, …); `ignoredReason` says why. */
  ignored: 'ignored',
} as const;
export type LedgerStatus = (typeof LedgerStatus)[keyof typeof LedgerStatus];

export const LEDGER_STATUSES: readonly LedgerStatus[] = Object.values(LedgerStatus);

/** One ledger item, as the CLI prints it. Times are ISO strings except the machine fields noted. */
export interface LedgerRecord {
  readonly eventId: string;
  readonly status: LedgerStatus;
  readonly eventType: string;
  readonly account?: string;
  readonly livemode: boolean;
  /** The event's own `created`, seconds since the epoch. */
  readonly created: number;
  readonly firstReceivedAt: string;
  readonly updatedAt: string;
  /** How many times handlers were started for this event. */
  readonly attempts: number;
  readonly lastError?: string;
  readonly processedAt?: string;
  readonly ignoredReason?: string;
  /** What the handlers reported, kept small. */
  readonly outcome?: Record<string, unknown>;
  /** On processed records: every state write of the event was older than the stored state. */
  readonly stale?: boolean;
  /** Whether the raw payload is kept (compressed) for replays without Stripe; see `MAX_STORED_PAYLOAD_BYTES`. */
  readonly payloadStored?: boolean;
  /** Size of the raw payload in bytes. */
  readonly payloadBytes?: number;
  /** Forced replays that reran this event's handlers, and the last one's id and time. */
  readonly replays?: number;
  readonly lastReplayId?: string;
  readonly lastReplayedAt?: string;
  /** Opaque token of the worker holding the lease, while `processing`. */
  readonly leaseToken?: string;
  /** Epoch ms after which another worker may take the event over. */
  readonly leaseExpiresAt?: number;
  /** Epoch seconds: DynamoDB TTL attribute; the record counts as absent after it. */
  readonly expiresAt: number;
}

/** Timings of the ledger's rules. */
export interface LedgerPolicy {
  /** How long a claim protects a run; longer than the worker's timeout, shorter than the queue's visibility. */
  readonly leaseMs: number;
  /** How long a record is kept, covering Stripe's 3-day retries, the 14-day DLQ and the 30-day events list. */
  readonly retentionDays: number;
}

export const DEFAULT_LEDGER_POLICY: LedgerPolicy = { leaseMs: 5 * 60_000, retentionDays: 35 } as const;

/** Epoch seconds at which a record written at `nowMs` expires. */
export const expiryFor = (options: { readonly nowMs: number; readonly policy: LedgerPolicy }): number =>
  Math.floor(options.nowMs / 1000) + options.policy.retentionDays * 86_400;

/** A record past its retention counts as absent, whether or not DynamoDB's TTL sweeper has removed it yet. */
export const isExpired = (record: Pick<LedgerRecord, 'expiresAt'>, nowMs: number): boolean =>
  record.expiresAt * 1000 <= nowMs;

/**
 * Whether a delivery may (re)run an existing record's handlers: failed runs are retried, and a processing
 * record whose lease ran out belongs to a worker that crashed or timed out. A forced replay reruns a finished
 * event once per replay id: SQS delivering the same replay message again finds `lastReplayId` set to it.
 */
export const isTakeoverAllowed = (record: LedgerRecord, nowMs: number, options: { readonly force?: boolean; readonly replayId?: string } = {}): boolean =>
  record.status === LedgerStatus.failed ||
  (record.status === LedgerStatus.processing && (record.leaseExpiresAt ?? 0) <= nowMs) ||
  // A forced replay reruns finished events; it never steals a live lease.
  (options.force === true && (record.status === LedgerStatus.processed || record.status === LedgerStatus.ignored) && (options.replayId === undefined || record.lastReplayId !== options.replayId));

/**
 * Largest compressed payload kept in the ledger item (DynamoDB items stop at 400 KB, and the record's other
 * attributes need room). Stripe events compress several times over, so in practice every event SQS accepts
 * (1 MiB) fits; one that does not is recorded with `payloadStored: false` and can be replayed from Stripe.
 */
export const MAX_STORED_PAYLOAD_BYTES = 300_000;

/** A new record for an event first seen at `nowMs`: `processing` with no run yet, unless `fields` say otherwise. */
export const newLedgerRecord = (options: {
  readonly facts: LedgerEventFacts;
  readonly nowMs: number;
  readonly policy: LedgerPolicy;
  readonly fields: Partial<LedgerRecord>;
}): LedgerRecord => {
  const { facts, nowMs } = options;
  return {
    eventId: facts.eventId,
    eventType: facts.eventType,
    livemode: facts.livemode,
    created: facts.created,
    ...(facts.account === undefined ? {} : { account: facts.account }),
    firstReceivedAt: new Date(nowMs).toISOString(),
    updatedAt: new Date(nowMs).toISOString(),
    expiresAt: expiryFor({ nowMs, policy: options.policy }),
    attempts: 0,
    status: LedgerStatus.processing,
    ...options.fields,
  };
};
