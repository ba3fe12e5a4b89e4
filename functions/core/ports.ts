import type { WebhookRoute } from './stripe-event';
import type { LedgerRecord, LedgerStatus } from './ledger-record';
import type { AuthorizationVersions } from './state/authorization';
import type { DeauthorizationGuard, StateWrite } from './state/state-write';

/** Structured logger: one JSON line per call in the functions (`adapters/logger.ts`); tests pass a recording one. */
export interface Logger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Milliseconds since the epoch; injected so lease and TTL rules are testable. */
export type Clock = () => number;

/** Message attributes carried beside the raw payload, so consumers can route without parsing. */
export interface QueueMessageAttributes {
  readonly eventId: string;
  readonly eventType: string;
  readonly account?: string;
  readonly livemode: boolean;
  /** Where the event came from: one of the webhook routes, or an operator's replay or the reconciler. */
  readonly route: WebhookRoute | 'replay' | 'reconciler';
  /** Set on replayed messages: the worker records it, and `replayForce` reruns finished events. */
  readonly replayId?: string;
  readonly replayForce?: boolean;
}

/** Where verified events wait for the worker. Resolves only once the queue has durably accepted the message. */
export interface EventQueue {
  /** Largest body, in bytes, the queue accepts together with the attributes. */
  readonly maxMessageBytes: number;
  send(message: { readonly body: string; readonly attributes: QueueMessageAttributes }): Promise<{ readonly messageId: string }>;
}

/** The currently valid signing secrets of each endpoint; several at once during a rotation. */
export interface WebhookSecrets {
  secretsFor(route: WebhookRoute): Promise<readonly string[]>;
  /** Called when no secret matched, so a source backed by a secret store can reload a rotated list. */
  refresh?(): Promise<void>;
}

/** Checks a `Stripe-Signature` header against the raw body; throws `SignatureVerificationError`. */
export interface SignatureVerifier {
  verify(input: {
    readonly rawBody: string;
    readonly header: string | undefined;
    readonly secrets: readonly string[];
    readonly nowMs: number;
  }): void;
}

/** What the worker learns when it tries to take an event. */
export type ClaimResult =
  | { readonly kind: 'claimed'; readonly record: LedgerRecord; readonly leaseToken: string }
  | { readonly kind: 'duplicate'; readonly record: LedgerRecord }
  | { readonly kind: 'in-flight'; readonly record: LedgerRecord };

/** What the worker learns when it records an event as ignored. */
export type IgnoreResult = { readonly kind: 'recorded' } | Exclude<ClaimResult, { readonly kind: 'claimed' }>;

/** Marks a delivery that an operator replayed; `force` reruns the handlers of finished events. */
export interface ReplayMark {
  readonly id: string;
  readonly force: boolean;
}

/** How a commit ended. */
export type CompleteResult =
  | { readonly kind: 'completed'; readonly applied: number; readonly stale: number }
  | { readonly kind: 'blocked'; readonly reason: string }
  | { readonly kind: 'lease-lost' };

/** The facts about an event that every ledger write records. */
export interface LedgerEventFacts {
  readonly eventId: string;
  readonly eventType: string;
  readonly account?: string;
  readonly livemode: boolean;
  readonly created: number;
}

/** Filter of `EventLedger.list`; every field narrows. */
export interface LedgerQuery {
  readonly status?: LedgerStatus;
  readonly eventType?: string;
  readonly account?: string;
  /** Event `created` at or after this (epoch seconds). */
  readonly createdSince?: number;
  /** Event `created` before this (epoch seconds). */
  readonly createdUntil?: number;
  readonly limit: number;
}

/**
 * One item per Stripe event id. Every write is conditional, so concurrent deliveries of one event run its
 * handlers to completion at most once.
 */
export interface EventLedger {
  /**
   * Takes the event for processing: fresh, expired, failed or lease-expired records are claimable, and with
   * `replay.force` processed and ignored ones too. `payload`, the raw body, is kept for later replays.
   */
  claim(input: { readonly facts: LedgerEventFacts; readonly nowMs: number; readonly payload?: string; readonly replay?: ReplayMark }): Promise<ClaimResult>;
  /** Records an event that is not processed (no handler, refused mode); a duplicate of a finished event stays as it is. */
  ignore(input: { readonly facts: LedgerEventFacts; readonly reason: string; readonly nowMs: number; readonly payload?: string; readonly replay?: ReplayMark }): Promise<IgnoreResult>;
  /** The raw payload kept for the event, or undefined when none was kept or the record is gone. */
  payloadOf(input: { readonly eventId: string; readonly nowMs: number }): Promise<string | undefined>;
  /**
   * Commits a claimed event's state writes and marks it processed, in one transaction conditional on the
   * lease. Stale writes (older than the state they target) are dropped; when all of them are, the event is
   * recorded processed with `stale: true`. A failed guard (the account was deauthorized at or before this event) records the event `ignored` and
   * writes nothing.
   */
  complete(input: {
    readonly eventId: string;
    readonly leaseToken: string;
    readonly outcome: Record<string, unknown>;
    readonly writes: readonly StateWrite[];
    readonly guards?: readonly DeauthorizationGuard[];
    readonly nowMs: number;
  }): Promise<CompleteResult>;
  /** Marks a claimed event failed so its next delivery runs it again; false when the lease was lost. */
  fail(input: { readonly eventId: string; readonly leaseToken: string; readonly error: string; readonly nowMs: number }): Promise<boolean>;
  /** The record, or undefined when absent or past its retention. */
  get(input: { readonly eventId: string; readonly nowMs: number }): Promise<LedgerRecord | undefined>;
  /** Records matching the filter, newest first by first-received time, at most `limit`. */
  list(input: LedgerQuery & { readonly nowMs: number }): Promise<readonly LedgerRecord[]>;
}

/** Reads of the Connect state table. */
export interface AccountStateReader {
  /** Every record of one partition (an account or the platform, in one mode), keyed by sort key. */
  partition(partition: string): Promise<ReadonlyArray<Record<string, unknown>>>;
  /** The deauthorization and re-authorization versions stored on one authorization record (none when absent). */
  authorizationOf(key: { readonly partition: string; readonly item: string }): Promise<AuthorizationVersions>;
  /** Every record, for listing accounts: any record lists its account and mode; PROFILE and DEAUTHORIZATION give the details. */
  profiles(): Promise<ReadonlyArray<Record<string, unknown>>>;
}
