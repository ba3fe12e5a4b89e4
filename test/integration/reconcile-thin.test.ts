import { createSqsClient } from '../../functions/adapters/aws-clients';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { EVENTS_V2_SOURCE } from '../../functions/adapters/stripe-v2-event-source';
import type { LedgerRecord } from '../../functions/core/ledger-record';
import { ledgerOf, waitForLedgerRecord } from '../support/ledger-wait';
import type { Logger } from '../../functions/core/ports';
import { reconcileWith } from '../../functions/reconciler/create-handler';
import type { ReconciliationReport } from '../../functions/reconciler/create-handler';
import { startLocalPipeline } from '../../local/pipeline';
import type { LocalPipeline } from '../../local/pipeline';
import { startStripeStandIn } from '../../local/stripe-stand-in';
import type { StripeStandIn } from '../../local/stripe-stand-in';
import { useEnv } from '../support/cli-runner';
import { stripeId } from '../support/event-factory';
import { startFakeStripe } from '../support/fake-stripe';
import type { FakeStripe } from '../support/fake-stripe';
import { isolatedResources, newTestSecrets } from '../support/pipeline-fixtures';
import { THIN_FIXTURE_ACCOUNT, loadThinEvent, loadV2Account } from '../support/thin-fixtures';

jest.setTimeout(60_000);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const TYPE = 'v2.core.account[requirements].updated';

/**
 * The scheduled reconciler's default sources (v1 Events API and v2 events) against a fake Stripe listing, with the
 * local pipeline's worker fetching from a stand-in: a thin event Stripe never delivered is found and processed.
 */
describe('reconciler: v2 (thin) events Stripe lists but never delivered', () => {
  let listing: FakeStripe;
  let standIn: StripeStandIn;
  let pipeline: LocalPipeline;
  let env: { restore(): void };
  const ledger = () => ledgerOf(pipeline);
  const waitFor = (eventId: string, predicate: (record: LedgerRecord) => boolean): Promise<LedgerRecord> => waitForLedgerRecord({ ledger: ledger(), eventId, predicate });
  const run = (accounts: readonly string[]): Promise<ReconciliationReport> =>
    reconcileWith({
      apiKey: 'sk_test_reconcile_thin',
      stripeBaseUrl: listing.endpoint,
      documentClient: createDocumentClient(),
      ledgerTableName: pipeline.resources.ledgerTableName,
      stateTableName: pipeline.resources.stateTableName,
      queue: createSqsEventQueue({ client: createSqsClient(), queueUrl: pipeline.resources.queueUrl }),
      accounts,
      activeDays: 7,
      logger: silent,
      deadlineMs: Number.POSITIVE_INFINITY,
    });

  beforeAll(async () => {
    listing = await startFakeStripe();
    standIn = await startStripeStandIn();
    env = useEnv({ STRIPE_API_BASE_URL: standIn.url, STRIPE_API_KEY: 'sk_test_reconcile_thin_worker' });
    const endpoints = { dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB as string, sqs: process.env.AWS_ENDPOINT_URL_SQS as string };
    const secrets = newTestSecrets();
    pipeline = await startLocalPipeline({ endpoints, secrets: { account: [secrets.account], connect: [secrets.connect], thin: [] }, port: 0, resources: isolatedResources(), loggerFor: () => silent });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await standIn?.stop();
    await listing?.stop();
    env?.restore();
  });

  test('a listed thin event missing from the ledger is enqueued as its notification and processed; the next run enqueues nothing', async () => {
    // Prepare: the event as Stripe lists and serves it, created a minute ago (within the first run's 3 days).
    const event = { ...loadThinEvent(TYPE), id: stripeId('evt_test'), created: new Date(Date.now() - 60_000).toISOString() };
    listing.addV2(THIN_FIXTURE_ACCOUNT, [event]);
    standIn.put({ events: [event], accounts: [loadV2Account()] });

    // Act
    const first = await run([THIN_FIXTURE_ACCOUNT]);
    const record = await waitFor(String(event.id), (candidate) => candidate.status === 'processed');
    const second = await run([THIN_FIXTURE_ACCOUNT]);

    // Assess
    const v2Report = (report: ReconciliationReport) => report.reports.find((entry) => entry.scope === THIN_FIXTURE_ACCOUNT && entry.source === EVENTS_V2_SOURCE);
    expect(first.failures).toEqual([]);
    expect(v2Report(first)).toMatchObject({ listed: 1, missing: [event.id], invalid: 0 });
    expect(record).toMatchObject({ status: 'processed', eventType: TYPE, account: THIN_FIXTURE_ACCOUNT, attempts: 1 });
    expect(standIn.reads.map(({ path, stripeContext }) => ({ path, stripeContext }))).toContainEqual({ path: `/v2/core/events/${String(event.id)}`, stripeContext: THIN_FIXTURE_ACCOUNT });
    expect(v2Report(second)).toMatchObject({ missing: [] });
    const v2Calls = listing.calls.filter((call) => call.path === '/v2/core/events' && call.stripeAccount === THIN_FIXTURE_ACCOUNT);
    expect(v2Calls.length).toBeGreaterThanOrEqual(2);
    // Only the types a projection handles are listed: other v2 events would be enqueued just to be ignored.
    // The stripe package writes the list as types[0], types[1], …
    const types = [...(v2Calls[0]?.query.entries() ?? [])].filter(([key]) => /^types(\[\d+\])?$/.test(key)).map(([, value]) => value);
    expect(types).toContain(TYPE);
    expect(types).not.toContain('v2.core.event_destination.ping');
  });

  test('an account Stripe refuses fails its scope for both sources, and the platform scope is still read', async () => {
    // Prepare
    const refused = `acct_${stripeId('r').slice(2)}`;
    listing.refuse(refused);

    // Act
    const report = await run([refused]);

    // Assess
    expect(report.failures.map((failure) => failure.scope)).toEqual([refused, refused]);
    expect(report.reports.filter((entry) => entry.scope === 'platform').map((entry) => entry.source).sort()).toEqual(['events-v1', EVENTS_V2_SOURCE]);
  });
});
