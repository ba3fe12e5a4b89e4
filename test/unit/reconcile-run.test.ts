import { reconcile } from '../../functions/core/reconcile';
import type { EventPage, EventSource, ReconcileCursors, ReconcileLease, SourceCursor } from '../../functions/core/reconcile';
import { makeEventBody } from '../support/event-factory';
import { createFakeEventQueue, createRecordingLogger } from '../support/fakes';

const NOW = Date.UTC(2026, 11, 1);
const NOW_SEC = NOW / 1000;

/** A source serving `events` for every scope, `pageSize` a page, continued by index; `failFor` scopes throw. */
const fakeSource = (name: string, ids: readonly string[], options: { readonly pageSize?: number; readonly failFor?: string } = {}): EventSource & { readonly requests: string[] } => {
  const requests: string[] = [];
  return {
    name,
    requests,
    async page({ account, after }): Promise<EventPage> {
      const scope = account ?? 'platform';
      requests.push(`${scope}@${after ?? 0}`);
      if (scope === options.failFor) throw Object.assign(new Error('refused'), { context: { status: 403 } });
      const start = Number(after ?? 0);
      const size = options.pageSize ?? 100;
      const events = ids.slice(start, start + size).map((id, index) => ({ id: `${id}_${scope}`, created: NOW_SEC - 100 + start + index, body: makeEventBody({ id: `${id}_${scope}`, account }) }));
      return { events, ...(start + size < ids.length ? { next: String(start + size) } : {}) };
    },
  };
};

const memoryCursors = (): ReconcileCursors & { readonly saved: Map<string, SourceCursor> } => {
  const saved = new Map<string, SourceCursor>();
  return { saved, get: async ({ source, scope }) => saved.get(`${source}|${scope}`), set: async ({ source, scope }, cursor) => void saved.set(`${source}|${scope}`, cursor) };
};

const freeLease = (): ReconcileLease => ({ acquire: async () => ({ acquired: true }), release: async () => undefined });

const runWith = (sources: readonly EventSource[], options: { readonly accounts?: readonly string[]; readonly deadlineMs?: number; readonly clock?: () => number; readonly cursors?: ReconcileCursors } = {}) => {
  const queue = createFakeEventQueue();
  const logger = createRecordingLogger();
  const run = reconcile({
    sources,
    presence: { present: async () => new Set<string>() },
    queue,
    cursors: options.cursors ?? memoryCursors(),
    lease: freeLease(),
    accounts: options.accounts ?? [],
    logger,
    clock: options.clock ?? (() => NOW),
    deadlineMs: options.deadlineMs ?? Number.POSITIVE_INFINITY,
    runId: 'run_unit',
    concurrency: 1,
  });
  return { run, queue, logger };
};

describe('reconcile run with several event sources', () => {
  test('each scope is checked against every source, each with its own cursor', async () => {
    // Prepare
    const cursors = memoryCursors();
    const sources = [fakeSource('events-v1', ['evt_a']), fakeSource('events-v2', ['evt_b'])];

    // Act
    const report = await runWith(sources, { accounts: ['acct_1'], cursors }).run;

    // Assess
    expect(report.reports.map((entry) => `${entry.source}:${entry.scope}:${entry.missing.join()}`)).toEqual([
      'events-v1:platform:evt_a_platform',
      'events-v2:platform:evt_b_platform',
      'events-v1:acct_1:evt_a_acct_1',
      'events-v2:acct_1:evt_b_acct_1',
    ]);
    expect([...cursors.saved.keys()].sort()).toEqual(['events-v1|acct_1', 'events-v1|platform', 'events-v2|acct_1', 'events-v2|platform']);
  });

  test('a source failing for one scope is logged and counted; the other source and the other scopes go on', async () => {
    // Prepare
    const sources = [fakeSource('events-v1', ['evt_a'], { failFor: 'acct_bad' }), fakeSource('events-v2', ['evt_b'])];

    // Act
    const { run, logger } = runWith(sources, { accounts: ['acct_bad', 'acct_good'] });
    const report = await run;

    // Assess
    expect(report.status).toBe('completed');
    expect(report.failures).toEqual([{ scope: 'acct_bad', source: 'events-v1', error: expect.stringContaining('refused'), refused: true }]);
    expect(report.reports.map((entry) => `${entry.source}:${entry.scope}`)).toContain('events-v2:acct_bad');
    expect(report.reports.map((entry) => `${entry.source}:${entry.scope}`)).toContain('events-v1:acct_good');
    expect(logger.lines.filter((line) => line.message === 'reconcile scope failed')).toHaveLength(1);
  });

  test('past the deadline no page starts: the cursor keeps the pass, and the run says where to resume', async () => {
    // Prepare: three pages; the clock passes the deadline once the first page was requested.
    const source = fakeSource('events-v1', ['evt_1', 'evt_2', 'evt_3'], { pageSize: 1 });
    const cursors = memoryCursors();
    const clock = () => (source.requests.length >= 1 ? NOW + 1 : NOW);

    // Act
    const report = await runWith([source], { cursors, clock, deadlineMs: NOW + 1 }).run;

    // Assess
    expect(report).toMatchObject({ status: 'stopped', resumeAt: 'platform' });
    expect(source.requests).toEqual(['platform@0']);
    expect(cursors.saved.get('events-v1|platform')?.pass).toMatchObject({ after: '1' });
  });
});
