import { createDynamoDbLedgerRangeReader } from '../../functions/adapters/dynamodb-ledger-range';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createSqsClient } from '../../functions/adapters/aws-clients';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { LedgerStatus } from '../../functions/core/ledger-record';
import type { Logger } from '../../functions/core/ports';
import { SkipReason } from '../../functions/core/reconcile';
import { replayEvents } from '../../functions/core/replay';
import { reconcileWith } from '../../functions/reconciler/create-handler';
import { reconcileCommand } from '../../cli/reconcile-command';
import { runCli, useEnv } from '../support/cli-runner';
import { loadFixtureEvent, makeEvent, stripeId } from '../support/event-factory';
import { writeStateFile } from '../support/pipeline-fixtures';
import { startFakeStripe } from '../support/fake-stripe';
import type { FakeStripe } from '../support/fake-stripe';
import { startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(90_000);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The deauthorization fixture for `account`, as `type` (deauthorized or authorized), created at `created`. */
const authorizationEvent = (options: { readonly account: string; readonly type: 'account.application.deauthorized' | 'account.application.authorized'; readonly created: number }) =>
  JSON.stringify({ ...(JSON.parse(loadFixtureEvent('account.application.deauthorized')) as Record<string, unknown>), id: stripeId('evt'), account: options.account, type: options.type, created: options.created }, null, 2);

describe('recovery at scale on the local pipeline (DynamoDB Local and fauxqs)', () => {
  let harness: TestPipeline;
  let stripe: FakeStripe;

  beforeAll(async () => {
    harness = await startTestPipeline();
    stripe = await startFakeStripe();
  });

  afterAll(async () => {
    await harness.stop();
    await stripe.stop();
  });

  const post = async (payload: string) => {
    await harness.post({ payload, route: 'connect' });
    return String((JSON.parse(payload) as { id: string }).id);
  };

  test('a re-connected account processes events again: the guard lets events after the authorization through', async () => {
    // Prepare
    const account = `acct_${stripeId('r').slice(2)}`;
    const base = Math.floor(Date.now() / 1000) - 600;
    await harness.waitForStatus(await post(authorizationEvent({ account, type: 'account.application.deauthorized', created: base })), LedgerStatus.processed);
    const between = await post(JSON.stringify(makeEvent({ account, created: base + 60 })));
    await harness.waitForStatus(between, LedgerStatus.ignored);
    await harness.waitForStatus(await post(authorizationEvent({ account, type: 'account.application.authorized', created: base + 120 })), LedgerStatus.processed);

    // Act
    const after = await post(JSON.stringify(makeEvent({ account, created: base + 180 })));
    const record = await harness.waitForStatus(after, LedgerStatus.processed);

    // Assess
    expect(record).toMatchObject({ status: LedgerStatus.processed, account });
    expect(record.stale).not.toBe(true);
  });

  test('a replay range over several scan pages re-enqueues every match, and the worker reruns each once', async () => {
    // Prepare: 25 events of one account, read back ten items a page.
    const account = `acct_${stripeId('p').slice(2)}`;
    const created = Math.floor(Date.now() / 1000) - 3600;
    const eventIds = await Promise.all(Array.from({ length: 25 }, (_, index) => post(JSON.stringify(makeEvent({ account, created: created + index })))));
    await Promise.all(eventIds.map((eventId) => harness.waitForStatus(eventId, LedgerStatus.processed)));
    const range = createDynamoDbLedgerRangeReader({ client: createDocumentClient(), tableName: harness.pipeline.resources.ledgerTableName, pageItems: 10 });
    const pagesSeen: number[] = [];
    const countingRange = { count: range.count, async *pages(input: Parameters<typeof range.pages>[0]) {
      for await (const page of range.pages(input)) {
        pagesSeen.push(page.length);
        yield page;
      }
    } };

    // Act
    const report = await replayEvents({
      ledger: harness.ledger,
      range: countingRange,
      queue: createSqsEventQueue({ client: createSqsClient(), queueUrl: harness.pipeline.resources.queueUrl }),
      selection: { kind: 'range', since: created, until: created + 25, account },
      replayId: 'rpl_20261203000000_pages1',
      force: true,
      dryRun: false,
      nowMs: Date.now(),
    });
    const records = await Promise.all(eventIds.map((eventId) => harness.waitForRecord(eventId, (record) => record.replays === 1 && record.status === LedgerStatus.processed)));

    // Assess
    expect(report).toMatchObject({ selected: 25, enqueued: 25, unavailable: [] });
    expect(pagesSeen.length).toBeGreaterThan(1);
    expect(records.map((record) => record.lastReplayId)).toEqual(eventIds.map(() => 'rpl_20261203000000_pages1'));
  });

  test("the reconciler's accounts come from the directory the worker keeps; a deauthorized account is skipped with the reason", async () => {
    // Prepare: one active account with an event Stripe has and the ledger lacks, one deauthorized account.
    const active = `acct_${stripeId('a').slice(2)}`;
    const gone = `acct_${stripeId('g').slice(2)}`;
    await harness.waitForStatus(await post(JSON.stringify(makeEvent({ account: active }))), LedgerStatus.processed);
    await harness.waitForStatus(await post(authorizationEvent({ account: gone, type: 'account.application.deauthorized', created: Math.floor(Date.now() / 1000) - 60 })), LedgerStatus.processed);
    const missed = makeEvent({ account: active });
    stripe.add(active, [missed]);

    // Act
    const report = await reconcileWith({
      apiKey: 'sk_test_fake',
      stripeBaseUrl: stripe.endpoint,
      documentClient: createDocumentClient(),
      ledgerTableName: harness.pipeline.resources.ledgerTableName,
      stateTableName: harness.pipeline.resources.stateTableName,
      queue: createSqsEventQueue({ client: createSqsClient(), queueUrl: harness.pipeline.resources.queueUrl }),
      accounts: [],
      activeDays: 7,
      logger: silent,
      deadlineMs: Number.POSITIVE_INFINITY,
    });
    await harness.waitForStatus(String(missed.id), LedgerStatus.processed);

    // Assess
    expect(report.plan.accounts).toContain(active);
    expect(report.plan.skipped).toContainEqual({ account: gone, mode: 'test', reason: SkipReason.deauthorized });
    expect(report.reports.find((entry) => entry.scope === active)?.missing).toEqual([missed.id]);
    expect(stripe.calls.some((call) => call.stripeAccount === gone)).toBe(false);
  });

  test('`reconcile --account <refused> --account <ok>`: the refused account is reported, the other\'s missing event is enqueued and processed', async () => {
    // Prepare: the reproduction, through the CLI.
    const refused = `acct_0${stripeId('x').slice(2)}`;
    const ok = `acct_z${stripeId('o').slice(2)}`;
    const missed = makeEvent({ account: ok });
    stripe.refuse(refused);
    stripe.add(ok, [missed]);
    const stateFile = writeStateFile({ pipeline: harness.pipeline, secrets: harness.secrets, endpoints: { dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', sqs: process.env.AWS_ENDPOINT_URL_SQS ?? '' } });
    const env = useEnv({ STRIPE_API_KEY: 'sk_test_fake', STRIPE_API_BASE_URL: stripe.endpoint });

    // Act
    const run = await runCli([reconcileCommand()], ['reconcile', '--account', refused, '--account', ok, '--state', stateFile]).finally(() => env.restore());
    const record = await harness.waitForStatus(String(missed.id), LedgerStatus.processed);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`${ok}: 1 listed`);
    expect(run.stderr).toContain(`${refused} (events-v1): failed (Stripe refused it)`);
    expect(record).toMatchObject({ account: ok, attempts: 1 });
  });
});
