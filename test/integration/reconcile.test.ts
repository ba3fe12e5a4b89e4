import { createDynamoDbLedgerPresence } from '../../functions/adapters/dynamodb-ledger-presence';
import { createDynamoDbReconcileCursors, createDynamoDbReconcileLease } from '../../functions/adapters/dynamodb-reconciler-store';
import { createSqsClient } from '../../functions/adapters/aws-clients';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { createStripeClientFactory, loadStripe } from '../../functions/adapters/stripe-client';
import { createStripeEventsV1Source } from '../../functions/adapters/stripe-event-source';
import { LedgerStatus } from '../../functions/core/ledger-record';
import type { Logger } from '../../functions/core/ports';
import { reconcile } from '../../functions/core/reconcile';
import type { RunReport } from '../../functions/core/reconcile';
import { makeEvent, stripeId } from '../support/event-factory';
import { startFakeStripe } from '../support/fake-stripe';
import type { FakeStripe } from '../support/fake-stripe';
import { eventually, startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(60_000);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface RunOptions {
  readonly accounts?: readonly string[];
  readonly since?: number;
  /** The run's clock: `reconcile` stops starting pages once it reaches the deadline. */
  readonly clock?: () => number;
  readonly deadlineMs?: number;
}

describe('reconciler against a fake Stripe API and the local pipeline', () => {
  let stripe: FakeStripe;
  let harness: TestPipeline;
  let run: (options?: RunOptions) => Promise<RunReport>;
  const scopeReport = (report: RunReport, scope: string) => report.reports.find((entry) => entry.scope === scope);

  beforeAll(async () => {
    stripe = await startFakeStripe();
    harness = await startTestPipeline();
    const source = createStripeEventsV1Source({ stripeFor: createStripeClientFactory({ apiKey: 'sk_test_fake', baseUrl: stripe.endpoint, stripe: await loadStripe() }), sleep: async () => undefined });
    const queue = createSqsEventQueue({ client: createSqsClient(), queueUrl: harness.pipeline.resources.queueUrl });
    const client = createDocumentClient();
    const state = { client, tableName: harness.pipeline.resources.stateTableName };
    const presence = createDynamoDbLedgerPresence({ client, tableName: harness.pipeline.resources.ledgerTableName });
    let runs = 0;
    run = (options = {}) =>
      reconcile({
        sources: [source],
        presence,
        queue,
        cursors: createDynamoDbReconcileCursors(state),
        lease: createDynamoDbReconcileLease(state),
        accounts: options.accounts ?? [],
        logger: silent,
        clock: options.clock ?? Date.now,
        deadlineMs: options.deadlineMs ?? Number.POSITIVE_INFINITY,
        runId: `run_test_${(runs += 1)}`,
        ...(options.since === undefined ? {} : { since: options.since }),
      });
  });

  afterAll(async () => {
    await harness.stop();
    await stripe.stop();
  });

  test('an event never delivered but listed by Stripe is enqueued and processed once', async () => {
    // Prepare: a connected account's event, listed without `account` as the Events API may list it.
    const account = `acct_${stripeId('r').slice(2)}`;
    const event = makeEvent({ id: stripeId('evt'), account: undefined });
    stripe.add(account, [event]);

    // Act
    const reports = await run({ accounts: [account] });
    const record = await harness.waitForStatus(String(event.id), LedgerStatus.processed);

    // Assess
    expect(scopeReport(reports, account)?.missing).toEqual([event.id]);
    expect(record).toMatchObject({ account, attempts: 1 });
    expect(stripe.calls.filter((call) => call.stripeAccount === account).length).toBeGreaterThan(0);
  });

  test('an event delivered by webhook and also found by the reconciler is processed once', async () => {
    // Prepare
    const eventId = stripeId('evt');
    const payload = JSON.stringify(makeEvent({ id: eventId }), null, 2);
    await harness.post({ payload, route: 'connect' });
    stripe.add('platform', [JSON.parse(payload) as Record<string, unknown>]);

    // Act: race the reconciler against the worker, then let everything settle.
    const reports = await run();
    await harness.waitForStatus(eventId, LedgerStatus.processed);
    await eventually(async () => (await harness.depth(harness.pipeline.resources.queueUrl)) === 0, 'the queue to drain');

    // Assess
    expect((await harness.ledger.get({ eventId, nowMs: Date.now() }))?.attempts).toBe(1);
    expect(scopeReport(reports, 'platform')?.listed).toBeGreaterThanOrEqual(1);
  });

  test('every page is read: 250 events take three list calls with starting_after', async () => {
    // Prepare
    const account = `acct_${stripeId('p').slice(2)}`;
    const base = Math.floor(Date.now() / 1000) - 1000;
    stripe.add(account, Array.from({ length: 250 }, (_, index) => makeEvent({ id: stripeId('evt'), account, created: base + index })));
    const before = stripe.calls.length;

    // Act
    const reports = await run({ accounts: [account], since: base });

    // Assess
    const calls = stripe.calls.slice(before).filter((call) => call.stripeAccount === account);
    expect(scopeReport(reports, account)?.listed).toBe(250);
    expect(calls.map((call) => call.query.has('starting_after'))).toEqual([false, true, true]);
  });

  test('429 answers are waited out and retried', async () => {
    // Prepare
    const account = `acct_${stripeId('l').slice(2)}`;
    stripe.add(account, [makeEvent({ id: stripeId('evt'), account })]);
    stripe.rateLimitNext(3);

    // Act
    const reports = await run({ accounts: [account] });

    // Assess
    expect(scopeReport(reports, account)?.listed).toBe(1);
    expect(stripe.calls.filter((call) => call.status === 429)).toHaveLength(3);
  });

  test('the next run continues from the saved cursor, minus the overlap', async () => {
    // Prepare
    const account = `acct_${stripeId('c').slice(2)}`;
    const created = Math.floor(Date.now() / 1000) - 60;
    stripe.add(account, [makeEvent({ id: stripeId('evt'), account, created })]);
    await run({ accounts: [account] });
    const before = stripe.calls.length;

    // Act
    await run({ accounts: [account] });

    // Assess
    const next = stripe.calls.slice(before).find((call) => call.stripeAccount === account);
    expect(Number(next?.query.get('created[gte]'))).toBe(created - 300);
  });

  test('a scope Stripe refuses (403) is reported and the run goes on: the other account\'s missing event is enqueued and processed', async () => {
    // Prepare: the refused account sorts first, so the good one runs after it.
    const refused = `acct_0${stripeId('x').slice(2)}`;
    const good = `acct_z${stripeId('g').slice(2)}`;
    const event = makeEvent({ id: stripeId('evt'), account: good });
    stripe.refuse(refused);
    stripe.add(good, [event]);

    // Act
    const report = await run({ accounts: [refused, good] });
    const record = await harness.waitForStatus(String(event.id), LedgerStatus.processed);

    // Assess
    expect(report.status).toBe('completed');
    expect(report.failures).toEqual([expect.objectContaining({ scope: refused, source: 'events-v1', refused: true })]);
    expect(scopeReport(report, good)?.missing).toEqual([event.id]);
    expect(record).toMatchObject({ account: good, attempts: 1 });
  });

  test('a run stopped mid-scope by its deadline resumes at the next page without listing again what it saw', async () => {
    // Prepare: 250 events (three pages); the clock reaches the deadline once the first page was read.
    const account = `acct_${stripeId('i').slice(2)}`;
    const base = Math.floor(Date.now() / 1000) - 2000;
    const events = Array.from({ length: 250 }, (_, index) => makeEvent({ id: stripeId('evt'), account, created: base + index }));
    stripe.add(account, events);
    const callsOf = (from: number) => stripe.calls.slice(from).filter((call) => call.stripeAccount === account);
    const first = stripe.calls.length;
    const stopped = await run({ accounts: [account], since: base, deadlineMs: 1, clock: () => (callsOf(first).length >= 1 ? 1 : 0) });
    const second = stripe.calls.length;

    // Act
    const resumed = await run({ accounts: [account] });

    // Assess
    const seenFirst = new Set(scopeReport(stopped, account)?.missing);
    const seenSecond = scopeReport(resumed, account)?.missing ?? [];
    expect(stopped).toMatchObject({ status: 'stopped', resumeAt: account });
    expect(seenFirst.size).toBe(100);
    expect(callsOf(second).map((call) => call.query.get('starting_after'))).toEqual([String(events[150]?.id), String(events[50]?.id)]);
    expect(seenSecond).toHaveLength(150);
    expect(seenSecond.filter((eventId) => seenFirst.has(eventId))).toEqual([]);
    expect(resumed.status).toBe('completed');
  });

  test('a second run while one holds the lease reads nothing', async () => {
    // Prepare
    const account = `acct_${stripeId('b').slice(2)}`;
    stripe.add(account, [makeEvent({ id: stripeId('evt'), account })]);
    const lease = createDynamoDbReconcileLease({ client: createDocumentClient(), tableName: harness.pipeline.resources.stateTableName });
    await lease.acquire({ holder: 'run_other', nowMs: Date.now(), ttlMs: 60_000 });
    const before = stripe.calls.length;

    // Act
    const report = await run({ accounts: [account] });
    await lease.release({ holder: 'run_other' });

    // Assess
    expect(report).toEqual({ status: 'busy', reports: [], failures: [] });
    expect(stripe.calls.length).toBe(before);
  });

  test('a lease left by a run that died is taken over once it expired, and the new run reads', async () => {
    // Prepare: a lease whose holder never released it, expired a second ago.
    const account = `acct_${stripeId('d').slice(2)}`;
    stripe.add(account, [makeEvent({ id: stripeId('evt'), account })]);
    const lease = createDynamoDbReconcileLease({ client: createDocumentClient(), tableName: harness.pipeline.resources.stateTableName });
    await lease.acquire({ holder: 'run_dead', nowMs: Date.now() - 61_000, ttlMs: 60_000 });

    // Act
    const report = await run({ accounts: [account] });

    // Assess
    expect(report.status).toBe('completed');
    expect(scopeReport(report, account)?.listed).toBe(1);
  });
});

