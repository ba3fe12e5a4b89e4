/** What the reconciler reads and writes, as ports; adapters implement them on Stripe, DynamoDB and SQS. */

/** An event as a Stripe event source lists it, with the JSON body the worker will process. */
export interface ListedEvent {
  readonly id: string;
  readonly created: number;
  readonly body: string;
}

/** One page of a source's listing; `next` continues it (absent on the last page). */
export interface EventPage {
  readonly events: readonly ListedEvent[];
  readonly next?: string;
}

/**
 * One feed of Stripe events, e.g. the v1 Events API (`events-v1`) or the v2 event destinations' events. Each
 * scope is checked against every source, each with its own cursor, and a source's failure stays in its scope.
 */
export interface EventSource {
  /** Names the source's cursors: keep it stable. */
  readonly name: string;
  /** One page of the events created at or after `createdSince` (epoch seconds), continuing after `after`. */
  page(request: { readonly account: string | undefined; readonly createdSince: number; readonly after?: string }): Promise<EventPage>;
}

/**
 * Where a scope's reading of one source stands. `since`: everything created before it (less the overlap) was
 * checked. `pass`: a reading in progress, saved after each page, so a run stopped at any point resumes there.
 */
export interface SourceCursor {
  readonly since: number;
  readonly pass?: {
    /** The pass's lower bound (`created[gte]`). */
    readonly since: number;
    /** The newest `created` the pass has listed: the next `since` once it completes. */
    readonly top: number;
    /** The source's continuation token after the last page read. */
    readonly after: string;
  };
}

/** The cursor of each (source, scope) pair. */
export interface ReconcileCursors {
  get(key: { readonly source: string; readonly scope: string }): Promise<SourceCursor | undefined>;
  set(key: { readonly source: string; readonly scope: string }, cursor: SourceCursor): Promise<void>;
}

/** Which of a page's event ids the ledger has (unexpired): one batched read per page. */
export interface LedgerPresence {
  present(input: { readonly eventIds: readonly string[]; readonly nowMs: number }): Promise<ReadonlySet<string>>;
}

/** A single-run lease: a conditional write, so two runs never read the same scopes at once. */
export interface ReconcileLease {
  /** Takes the lease unless another holder's is still valid; returns where the previous run stopped. */
  acquire(input: { readonly holder: string; readonly nowMs: number; readonly ttlMs: number }): Promise<{ readonly acquired: true; readonly resumeAt?: string } | { readonly acquired: false; readonly heldUntilMs: number }>;
  /** Gives the lease back, recording the scope the next run starts at (none when the run completed). */
  release(input: { readonly holder: string; readonly resumeAt?: string }): Promise<void>;
}

/** A connected account in the reconciler's directory, as the worker and the authorization projections keep it. */
export interface ScopeRecord {
  readonly account: string;
  readonly livemode: boolean;
  /** Epoch seconds of the account's last event seen by the worker (to the day). */
  readonly lastActiveAt: number;
  readonly deauthorized?: string;
  readonly authorized?: string;
}

/** The reconciler's directory of connected accounts: small records, never the ledger. */
export interface ScopeDirectory {
  /** Notes an event of the account; the adapter writes at most once per account, mode and day. */
  noteActive(input: { readonly account: string; readonly livemode: boolean; readonly nowMs: number }): Promise<void>;
  /** The accounts active at or after `since` (epoch seconds), both modes. */
  activeSince(input: { readonly since: number }): Promise<readonly ScopeRecord[]>;
}
