import { createSqsClient } from '../../functions/adapters/aws-clients';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbReconcileCursors } from '../../functions/adapters/dynamodb-reconcile-cursors';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { createStripeClientFactory, loadStripe } from '../../functions/adapters/stripe-client';
import { createStripeEventSource } from '../../functions/adapters/stripe-event-source';
import { LedgerStatus } from '../../functions/core/ledger-record';
import type { Logger } from '../../functions/core/ports';
import { reconcile } from '../../functions/core/reconcile';
import { makeEvent, stripeId } from '../support/event-factory';
import { startFakeStripe } from '../support/fake-stripe';
import type { FakeStripe } from '../support/fake-stripe';
import { eventually, startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(60_000);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('reconciler against a fake Stripe API and the local pipeline', () => {
  let stripe: FakeStripe;
  let harness: TestPipeline;
  let run: (options?: { readonly accounts?: readonly string[]; readonly since?: number }) => ReturnType<typeof reconcile>;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    harness = await startTestPipeline();
    const source = createStripeEventSource({ stripeFor: createStripeClientFactory({ apiKey: 'sk_test_fake', baseUrl: stripe.endpoint, stripe: await loadStripe() }), sleep: async () => undefined });
    const queue = createSqsEventQueue({ client: createSqsClient(), queueUrl: harness.pipeline.resources.queueUrl });
    const cursors = createDynamoDbReconcileCursors({ client: createDocumentClient(), tableName: harness.pipeline.resources.stateTableName });
    run = (options = {}) =>
      reconcile({ source, ledger: harness.ledger, queue, cursors, accounts: options.accounts ?? [], nowMs: Date.now(), logger: silent, ...(options.since === undefined ? {} : { since: options.since }) });
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
    expect(reports.find((report) => report.scope === account)?.missing).toEqual([event.id]);
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
    expect(reports[0]?.listed).toBeGreaterThanOrEqual(1);
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
    expect(reports.find((report) => report.scope === account)?.listed).toBe(250);
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
    expect(reports.find((report) => report.scope === account)?.listed).toBe(1);
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
});
