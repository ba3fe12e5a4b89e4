import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbAccountState } from '../../functions/adapters/dynamodb-account-state';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { partitionOf } from '../../functions/core/state/account-keys';
import { reconcileCommand } from '../../cli/reconcile-command';
import { replayCommand } from '../../cli/replay-command';
import { runCli, useEnv } from '../support/cli-runner';
import { makeEvent, makeEventBody, stripeId } from '../support/event-factory';
import { startFakeStripe } from '../support/fake-stripe';
import { writeStateFile } from '../support/pipeline-fixtures';
import type { FakeStripe } from '../support/fake-stripe';
import { eventually, startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(90_000);

/** A state file like the one `npm start` writes, so the CLI finds this test's pipeline. */
const stateFileFor = (harness: TestPipeline): string =>
  writeStateFile({ pipeline: harness.pipeline, secrets: harness.secrets, endpoints: { dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', sqs: process.env.AWS_ENDPOINT_URL_SQS ?? '' } });

describe('replay and recovery on the local pipeline', () => {
  const runs: string[] = [];
  let failing = true;
  let harness: TestPipeline;
  let stateFile: string;
  let stripe: FakeStripe;
  let env: { restore(): void };

  beforeAll(async () => {
    const registry = createHandlerRegistry({
      projections: connectProjections,
      custom: {
        'account.updated': async ({ event }) => {
          if (failing) throw new Error('downstream outage');
          runs.push(event.id);
          return {};
        },
      },
    });
    harness = await startTestPipeline({ registry, visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    stateFile = stateFileFor(harness);
    stripe = await startFakeStripe();
    env = useEnv({ STRIPE_API_KEY: 'sk_test_fake', STRIPE_API_BASE_URL: stripe.endpoint });
  });

  afterAll(async () => {
    env.restore();
    await harness.stop();
    await stripe.stop();
  });

  test('events posted while handlers fail end in the DLQ, and `replay dlq` processes them', async () => {
    // Prepare
    failing = true;
    const ids = [stripeId('evt'), stripeId('evt'), stripeId('evt')];
    for (const id of ids) await harness.post({ payload: makeEventBody({ id }), route: 'connect' });
    await eventually(async () => (await harness.depth(harness.pipeline.resources.deadLetterQueueUrl)) === 3, 'three messages in the DLQ', 30_000);
    failing = false;

    // Act
    const run = await runCli([replayCommand()], ['replay', 'dlq', '--state', stateFile]);
    const records = await Promise.all(ids.map((id) => harness.waitForStatus(id, LedgerStatus.processed)));

    // Assess
    expect(run).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('Moved 3 message(s)') });
    expect(records.map((record) => record.attempts)).toEqual([3, 3, 3]);
    expect(runs.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  test('an event never posted but present in Stripe is found by `reconcile` and processed once', async () => {
    // Prepare
    failing = false;
    const account = `acct_${stripeId('x').slice(2)}`;
    const event = makeEvent({ id: stripeId('evt'), account });
    stripe.add(account, [event]);

    // Act
    const run = await runCli([reconcileCommand()], ['reconcile', '--state', stateFile, '--account', account]);
    const record = await harness.waitForStatus(String(event.id), LedgerStatus.processed);

    // Assess
    expect(run).toMatchObject({ exitCode: 0, stdout: expect.stringContaining(`${account}: 1 listed`) });
    expect(record.attempts).toBe(1);
    expect(runs.filter((id) => id === event.id)).toHaveLength(1);
  });

  test('`replay event --force` reruns a processed event’s handlers without changing the account’s state', async () => {
    // Prepare
    failing = false;
    const account = `acct_${stripeId('f').slice(2)}`;
    const eventId = stripeId('evt');
    await harness.post({ payload: makeEventBody({ id: eventId, account }), route: 'connect' });
    await harness.waitForStatus(eventId, LedgerStatus.processed);
    const partition = partitionOf({ account, livemode: false });
    const state = createDynamoDbAccountState({ client: createDocumentClient(), tableName: harness.pipeline.resources.stateTableName });
    const before = await state.partition(partition);

    // Act
    const run = await runCli([replayCommand()], ['replay', 'event', eventId, '--force', '--state', stateFile]);
    const record = await harness.waitForRecord(eventId, (candidate) => candidate.status === 'processed' && candidate.attempts === 2);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(record).toMatchObject({ replays: 1, lastReplayId: expect.stringMatching(/^rpl_/), stale: true });
    expect(runs.filter((id) => id === eventId)).toHaveLength(2);
    expect(await state.partition(partition)).toEqual(before);
  });

  test('`replay range --dry-run` lists what it would replay and enqueues nothing', async () => {
    // Prepare
    const eventId = stripeId('evt');
    const created = Math.floor(Date.now() / 1000) - 7200;
    await harness.post({ payload: makeEventBody({ id: eventId, created }), route: 'connect' });
    await harness.waitForStatus(eventId, LedgerStatus.processed);

    // Act
    const run = await runCli([replayCommand()], ['replay', 'range', '--since', String(created), '--until', String(created + 1), '--dry-run', '--state', stateFile]);

    // Assess
    expect(run.stdout).toContain(`would re-enqueue 1 of 1 event(s)`);
    expect(run.stdout).toContain(eventId);
    expect(await harness.depth(harness.pipeline.resources.queueUrl)).toBe(0);
  });
});
