import { describeError } from '../errors';
import type { EventQueue, Logger } from '../ports';
import { parseDelivery } from '../delivery';
import type { EventSource, LedgerPresence, ListedEvent, ReconcileCursors, SourceCursor } from './ports';

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

/** The platform's scope name; every other scope is an `acct_` id. */
export const PLATFORM_SCOPE = 'platform';

/** What checking one scope against one source found. */
export interface ScopeSourceReport {
  readonly scope: string;
  readonly source: string;
  /** The pass's lower bound (epoch seconds). */
  readonly since: number;
  readonly pages: number;
  readonly listed: number;
  readonly missing: readonly string[];
  /** Listed events that are not events the worker could process; logged and left out. */
  readonly invalid: number;
  /** True when the run's deadline came first: the cursor holds the pass, and the next run continues it. */
  readonly stopped: boolean;
}

/** Everything one scope × source check needs. */
export interface ScopeCheck {
  readonly source: EventSource;
  readonly scope: string;
  readonly cursors: ReconcileCursors;
  readonly presence: LedgerPresence;
  readonly queue: EventQueue;
  readonly logger: Logger;
  readonly policy: ReconcilePolicy;
  readonly nowMs: number;
  /** Overrides the cursor (epoch seconds), e.g. `reconcile --since`: a new pass from there. */
  readonly since?: number;
  /** Asked before each page: true stops the check, its cursor saved at the last page read. */
  readonly shouldStop: () => boolean;
}

type Pass = NonNullable<SourceCursor['pass']> | { readonly since: number; readonly top?: number; readonly after?: undefined };

const startPass = (check: ScopeCheck, cursor: SourceCursor | undefined): { readonly pass: Pass; readonly previous: number } => {
  const nowSec = Math.floor(check.nowMs / 1000);
  const floor = nowSec - check.policy.maxLookbackSeconds;
  if (check.since !== undefined) return { pass: { since: Math.max(check.since, floor) }, previous: cursor?.since ?? check.since };
  if (cursor?.pass !== undefined) return { pass: cursor.pass, previous: cursor.since };
  const start = cursor?.since ?? nowSec - check.policy.firstRunSeconds;
  return { pass: { since: Math.max(start - check.policy.overlapSeconds, floor) }, previous: start };
};

/**
 * Reads one source for one scope page by page, from its cursor: each page's ids are looked up in the ledger
 * in one batch, the missing events are enqueued (the worker dedupes), then the cursor is saved, so a run
 * stopped between pages continues after the last page it read. A completed pass moves `since` to the newest
 * event listed (to now when none was).
 */
export const checkScopeSource = async (check: ScopeCheck): Promise<ScopeSourceReport> => {
  const key = { source: check.source.name, scope: check.scope };
  const { pass: first, previous } = startPass(check, await check.cursors.get(key));
  const account = check.scope === PLATFORM_SCOPE ? undefined : check.scope;
  let pass: Pass = first;
  const missing: string[] = [];
  let pages = 0;
  let listed = 0;
  let invalid = 0;
  const report = (stopped: boolean): ScopeSourceReport => ({ scope: check.scope, source: check.source.name, since: first.since, pages, listed, missing, invalid, stopped });
  for (;;) {
    if (check.shouldStop()) return report(true);
    const page = await check.source.page({ account, createdSince: pass.since, ...(pass.after === undefined ? {} : { after: pass.after }) });
    pages += 1;
    listed += page.events.length;
    const present = page.events.length === 0 ? new Set<string>() : await check.presence.present({ eventIds: page.events.map((event) => event.id), nowMs: check.nowMs });
    for (const event of page.events.filter((listedEvent) => !present.has(listedEvent.id))) {
      if (await enqueue(check, event)) missing.push(event.id);
      else invalid += 1;
    }
    const top = Math.max(pass.top ?? 0, ...page.events.map((event) => event.created));
    if (page.next !== undefined) {
      pass = { since: pass.since, top, after: page.next };
      await check.cursors.set(key, { since: previous, pass });
      continue;
    }
    await check.cursors.set(key, { since: top > 0 ? top : Math.floor(check.nowMs / 1000) });
    return report(false);
  }
};

/** Enqueues a listed event like a webhook delivery (`route: reconciler`); false for a body that is no event the worker takes (v1 or thin). */
const enqueue = async (check: ScopeCheck, event: ListedEvent): Promise<boolean> => {
  let envelope;
  try {
    ({ envelope } = parseDelivery(event.body));
  } catch (error) {
    check.logger.warn('reconciler skipped a listed event the worker could not take', { scope: check.scope, source: check.source.name, eventId: event.id, error: describeError(error) });
    return false;
  }
  await check.queue.send({
    body: event.body,
    attributes: { eventId: envelope.id, eventType: envelope.type, livemode: envelope.livemode, route: 'reconciler', ...(envelope.account === undefined ? {} : { account: envelope.account }) },
  });
  return true;
};
