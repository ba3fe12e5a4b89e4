import type { EventLedger, EventQueue, Logger } from './ports';
import { parseEvent } from './stripe-event';

/** An event as Stripe's Events API lists it, with the JSON body the worker will process. */
export interface ListedEvent {
  readonly id: string;
  readonly created: number;
  readonly body: string;
}

/** Stripe's Events API: the platform's events, or a connected account's (`Stripe-Account`). */
export interface StripeEventSource {
  /** Events created at or after `createdSince` (epoch seconds), any order, each once. */
  list(options: { readonly account: string | undefined; readonly createdSince: number }): AsyncIterable<ListedEvent>;
}

/** Where each scope's last run stopped, so the next continues from there. */
export interface ReconcileCursors {
  get(scope: string): Promise<number | undefined>;
  set(scope: string, createdSince: number): Promise<void>;
}

/** Timing rules of the reconciler. */
export interface ReconcilePolicy {
  /** How far back a scope with no cursor starts: Stripe retries deliveries for 3 days. */
  readonly firstRunSeconds: number;
  /** Re-read this much before the cursor: an event can become listable a little after its `created`. */
  readonly overlapSeconds: number;
  /** Never further back than Stripe keeps events listable. */
  readonly maxLookbackSeconds: number;
}

export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = { firstRunSeconds: 3 * 86_400, overlapSeconds: 300, maxLookbackSeconds: 30 * 86_400 } as const;

/** One scope's result. */
export interface ScopeReport {
  readonly scope: string;
  readonly since: number;
  readonly listed: number;
  readonly missing: readonly string[];
}

const PLATFORM = 'platform';

/** The connected accounts with ledger activity in the last `days`: the default scopes besides the platform. */
export const recentlyActiveAccounts = async (options: { readonly ledger: EventLedger; readonly nowMs: number; readonly days: number }): Promise<string[]> => {
  const records = await options.ledger.list({ nowMs: options.nowMs, limit: Number.MAX_SAFE_INTEGER, createdSince: Math.floor(options.nowMs / 1000) - options.days * 86_400 });
  return [...new Set(records.map((record) => record.account).filter((account): account is string => account !== undefined))].sort();
};

/**
 * Finds events Stripe has but the ledger does not (missed during an outage, or while the endpoint was
 * disabled) and enqueues them through the same queue as webhooks; the worker dedupes, so an event that
 * arrives both ways is processed once. Each scope (the platform, then each account) continues from its
 * cursor, which is saved only after the scope was read completely.
 */
export const reconcile = async (options: {
  readonly source: StripeEventSource;
  readonly ledger: EventLedger;
  readonly queue: EventQueue;
  readonly cursors: ReconcileCursors;
  readonly accounts: readonly string[];
  /** Overrides the cursors (epoch seconds), e.g. `reconcile --since`. */
  readonly since?: number;
  readonly nowMs: number;
  readonly logger: Logger;
  /** @default DEFAULT_RECONCILE_POLICY */
  readonly policy?: ReconcilePolicy;
}): Promise<ScopeReport[]> => {
  const reports: ScopeReport[] = [];
  for (const account of [undefined, ...options.accounts]) reports.push(await reconcileScope({ ...options, account }));
  return reports;
};

const reconcileScope = async (options: Parameters<typeof reconcile>[0] & { readonly account: string | undefined }): Promise<ScopeReport> => {
  const policy = options.policy ?? DEFAULT_RECONCILE_POLICY;
  const scope = options.account ?? PLATFORM;
  const nowSec = Math.floor(options.nowMs / 1000);
  const cursor = options.since ?? (await options.cursors.get(scope)) ?? nowSec - policy.firstRunSeconds;
  const since = Math.max(cursor - (options.since === undefined ? policy.overlapSeconds : 0), nowSec - policy.maxLookbackSeconds);
  const missing: string[] = [];
  let listed = 0;
  let newest = since;
  for await (const event of options.source.list({ account: options.account, createdSince: since })) {
    listed += 1;
    newest = Math.max(newest, event.created);
    if ((await options.ledger.get({ eventId: event.id, nowMs: options.nowMs })) !== undefined) continue;
    const { envelope } = parseEvent(event.body);
    await options.queue.send({
      body: event.body,
      attributes: { eventId: envelope.id, eventType: envelope.type, livemode: envelope.livemode, route: 'reconciler', ...(envelope.account === undefined ? {} : { account: envelope.account }) },
    });
    missing.push(event.id);
  }
  // With nothing listed the scope is complete up to now; otherwise up to its newest event.
  await options.cursors.set(scope, listed === 0 ? nowSec : newest);
  options.logger.info('reconciled', { scope, since, listed, enqueued: missing.length });
  return { scope, since, listed, missing };
};
