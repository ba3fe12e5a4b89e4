import { describeError } from '../errors';
import type { EventQueue, Logger } from '../ports';
import type { EventSource, LedgerPresence, ReconcileCursors, ReconcileLease } from './ports';
import { DEFAULT_RECONCILE_POLICY, PLATFORM_SCOPE, checkScopeSource } from './scope-check';
import type { ReconcilePolicy, ScopeSourceReport } from './scope-check';

/** A scope × source check that threw: logged, counted, and the run went on. */
export interface ScopeFailure {
  readonly scope: string;
  readonly source: string;
  readonly error: string;
  /** Stripe refused the scope (401/403): typically an account that disconnected the platform. */
  readonly refused: boolean;
}

/** How a run ended. */
export interface RunReport {
  /** `busy`: another run held the lease, nothing was read. `stopped`: the deadline came first; the next run resumes. */
  readonly status: 'completed' | 'stopped' | 'busy';
  readonly reports: readonly ScopeSourceReport[];
  readonly failures: readonly ScopeFailure[];
  /** Where the next run starts (the first scope this one did not finish), when it stopped early. */
  readonly resumeAt?: string;
}

/** Everything a run needs. */
export interface ReconcileRun {
  readonly sources: readonly EventSource[];
  readonly presence: LedgerPresence;
  readonly queue: EventQueue;
  readonly cursors: ReconcileCursors;
  readonly lease: ReconcileLease;
  /** Connected accounts to check besides the platform. */
  readonly accounts: readonly string[];
  readonly logger: Logger;
  readonly clock: () => number;
  /** Epoch ms after which no page is started: the function's timeout less a margin. */
  readonly deadlineMs: number;
  /** Names this run's lease. */
  readonly runId: string;
  /** Scopes read side by side. @default 4 */
  readonly concurrency?: number;
  /** Overrides the cursors (epoch seconds), e.g. `reconcile --since`. */
  readonly since?: number;
  /** @default DEFAULT_RECONCILE_POLICY */
  readonly policy?: ReconcilePolicy;
}

/** A run without a deadline (the CLI's) still holds the lease at most this long: Lambda's longest timeout. */
const MAX_LEASE_MS = 15 * 60_000;
/** The lease outlives the deadline by this much, for the pages in flight when it passes. */
const LEASE_MARGIN_MS = 60_000;

/** Scopes in run order: the platform, then the accounts by id, rotated to start where the previous run stopped. */
export const runOrder = (accounts: readonly string[], resumeAt: string | undefined): string[] => {
  const scopes = [PLATFORM_SCOPE, ...[...new Set(accounts)].sort()];
  const start = resumeAt === undefined ? -1 : scopes.findIndex((scope) => scope === resumeAt || (scope !== PLATFORM_SCOPE && resumeAt !== PLATFORM_SCOPE && scope > resumeAt));
  return start <= 0 ? scopes : [...scopes.slice(start), ...scopes.slice(0, start)];
};

const isRefusal = (error: unknown): boolean => {
  const context = (error as { context?: { status?: unknown } } | undefined)?.context;
  return context?.status === 401 || context?.status === 403;
};

/**
 * One reconciliation run. A lease item (a conditional write) keeps it the only run. Scopes are read a few at
 * a time; each scope × source is isolated: its failure is logged (`reconcile scope failed`, counted by a
 * metric) and the run goes on. No page starts after `deadlineMs`; cursors are saved per page, and the lease
 * records the first unfinished scope, so the next run continues there.
 */
export const reconcile = async (run: ReconcileRun): Promise<RunReport> => {
  const nowMs = run.clock();
  const lease = await run.lease.acquire({ holder: run.runId, nowMs, ttlMs: Math.min(Math.max(run.deadlineMs - nowMs, 0), MAX_LEASE_MS) + LEASE_MARGIN_MS });
  if (!lease.acquired) {
    run.logger.info('reconcile run skipped: another run holds the lease', { heldUntil: new Date(lease.heldUntilMs).toISOString() });
    return { status: 'busy', reports: [], failures: [] };
  }
  const scopes = runOrder(run.accounts, lease.resumeAt);
  const finished = new Array<boolean>(scopes.length).fill(false);
  const reports: ScopeSourceReport[] = [];
  const failures: ScopeFailure[] = [];
  const shouldStop = () => run.clock() >= run.deadlineMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scopes.length && !shouldStop()) {
      const index = next++;
      const scope = scopes[index]!;
      let stopped = false;
      for (const source of run.sources) {
        const report = await checkIsolated(run, { scope, source, shouldStop, nowMs, failures });
        if (report !== undefined) reports.push(report);
        stopped ||= report?.stopped ?? false;
      }
      finished[index] = !stopped;
    }
  };
  let resumeAt: string | undefined;
  try {
    await Promise.all(Array.from({ length: Math.max(1, run.concurrency ?? 4) }, worker));
  } finally {
    const first = finished.indexOf(false);
    resumeAt = first === -1 ? undefined : scopes[first];
    await run.lease.release({ holder: run.runId, ...(resumeAt === undefined ? {} : { resumeAt }) });
  }
  return { status: resumeAt === undefined ? 'completed' : 'stopped', reports, failures, ...(resumeAt === undefined ? {} : { resumeAt }) };
};

const checkIsolated = async (
  run: ReconcileRun,
  options: { readonly scope: string; readonly source: EventSource; readonly shouldStop: () => boolean; readonly nowMs: number; readonly failures: ScopeFailure[] },
): Promise<ScopeSourceReport | undefined> => {
  const { scope, source } = options;
  try {
    const report = await checkScopeSource({
      source,
      scope,
      cursors: run.cursors,
      presence: run.presence,
      queue: run.queue,
      logger: run.logger,
      policy: run.policy ?? DEFAULT_RECONCILE_POLICY,
      nowMs: options.nowMs,
      shouldStop: options.shouldStop,
      ...(run.since === undefined ? {} : { since: run.since }),
    });
    run.logger.info('reconciled', { scope, source: source.name, since: report.since, pages: report.pages, listed: report.listed, enqueued: report.missing.length, invalid: report.invalid, stopped: report.stopped });
    return report;
  } catch (error) {
    const failure = { scope, source: source.name, error: describeError(error), refused: isRefusal(error) };
    options.failures.push(failure);
    run.logger.error('reconcile scope failed', { ...failure, scopesFailed: 1 });
    return undefined;
  }
};
