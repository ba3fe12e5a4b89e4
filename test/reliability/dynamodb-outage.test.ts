import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { replayCommand } from '../../cli/replay-command';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { startDynamoDbLocal, startFauxqs } from '../../local/emulators';
import type { Emulator } from '../../local/emulators';
import { runCli } from '../support/cli-runner';
import { freePort } from '../../local/free-port';
import {
  countingHandler,
  eventually,
  mapLimit,
  postWebhook,
  profilesByAccount,
  saveAwsEnv,
  signedDeliveries,
  sleep,
  startReliabilityPipeline,
  stateFileFor,
  useCleanup,
} from './harness';

/** How long DynamoDB stays down at least: several visibility timeouts, so messages exhaust maxReceiveCount. */
const OUTAGE_MS = 5000;

jest.setTimeout(180_000);

describe('DynamoDB unreachable for a while', () => {
  const cleanup = useCleanup();

  test('events posted during the outage are retried or dead-lettered, and after `replay dlq` all are processed exactly once', async () => {
    // Prepare: a DynamoDB Local of this test's own, keeping its data on disk so a restart keeps the tables, and
    // a fauxqs of its own; a pipeline with a short visibility timeout, a short lease and maxReceiveCount 3.
    cleanup.add('AWS settings', saveAwsEnv());
    const dataDir = mkdtempSync(join(tmpdir(), 'cw-rel-ddb-'));
    cleanup.add('DynamoDB data', () => rmSync(dataDir, { recursive: true, force: true }));
    const dynamoDbPort = await freePort();
    let dynamoDb: Emulator | undefined = await startDynamoDbLocal({ port: dynamoDbPort, dataDir });
    cleanup.add('DynamoDB Local', () => dynamoDb?.stop());
    const fauxqs = await startFauxqs({ port: await freePort() });
    cleanup.add('fauxqs', () => fauxqs.stop());
    const counter = countingHandler();
    const registry = createHandlerRegistry({ projections: connectProjections, custom: { 'account.updated': counter.handler } });
    const harness = await startReliabilityPipeline({ endpoints: { dynamoDb: dynamoDb.endpoint, sqs: fauxqs.endpoint }, registry, visibilityTimeoutSeconds: 1, maxReceiveCount: 3, leaseSeconds: 2, pollers: 2, batchSize: 5 });
    cleanup.add('pipeline', () => harness.stop());
    const { resources } = harness.pipeline;
    const stateFile = stateFileFor(harness);
    cleanup.add('state file', () => rmSync(dirname(stateFile), { recursive: true, force: true }));
    const [before, during, outage] = [signedDeliveries(10, harness.secrets.connect), signedDeliveries(10, harness.secrets.connect), signedDeliveries(15, harness.secrets.connect)];
    const post = (events: typeof before) => mapLimit(events, 10, async (event) => (await postWebhook(harness.pipeline.url, event)).status);
    const processedCount = async () => (await harness.observe.ledger(resources.ledgerTableName)).filter((row) => row.status === LedgerStatus.processed).length;
    const beforeStatuses = await post(before);
    await eventually(async () => (await processedCount()) === before.length, 'the first events to be processed', 30_000);

    // Act: events are posted and DynamoDB stops while they are processed; more are posted while it is down.
    const duringStatuses = await post(during);
    await dynamoDb.stop();
    const stoppedAt = Date.now();
    dynamoDb = undefined;
    const outageStatuses = await post(outage);
    await eventually(async () => (await harness.observe.depth(resources.deadLetterQueueUrl)) > 0 || 'DLQ empty', 'a message to reach the DLQ', 30_000);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    const deadLetteredDuringOutage = await harness.observe.depth(resources.deadLetterQueueUrl);
    dynamoDb = await startDynamoDbLocal({ port: dynamoDbPort, dataDir });
    const all = [...before, ...during, ...outage];
    // What is still queued is retried; leases orphaned by failed commits run out after 2 s and are taken over.
    await eventually(async () => (await harness.observe.depth(resources.queueUrl)) === 0 || 'queue not empty', 'the queue to drain after the restart', 60_000);
    // The CLI reports progress on stderr; keep it out of the test output.
    const progress = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const run = await runCli([replayCommand()], ['replay', 'dlq', '--state', stateFile]).finally(() => progress.mockRestore());
    await eventually(async () => {
      const [processed, queue, deadLetters] = await Promise.all([processedCount(), harness.observe.depth(resources.queueUrl), harness.observe.depth(resources.deadLetterQueueUrl)]);
      return (processed === all.length && queue === 0 && deadLetters === 0) || `${processed}/${all.length} processed, queue ${queue}, DLQ ${deadLetters}`;
    }, 'every event processed after the replay', 60_000);
    const [ledger, state] = await Promise.all([harness.observe.ledger(resources.ledgerTableName), harness.observe.state(resources.stateTableName)]);

    // Assess
    const attempts = ledger.map((row) => row.attempts);
    console.log(
      `dynamodb outage: ${deadLetteredDuringOutage} dead-lettered during the outage; replay: ${run.stdout.trim()}; ` +
        `attempts ${JSON.stringify(Object.fromEntries([1, 2, 3].map((n) => [n, attempts.filter((a) => a === n).length])))}`,
    );
    expect([...beforeStatuses, ...duringStatuses, ...outageStatuses].filter((status) => status !== 200)).toEqual([]);
    expect(deadLetteredDuringOutage).toBeGreaterThan(0);
    expect(run).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/Moved [1-9]\d* message\(s\)/) });
    expect(ledger).toHaveLength(all.length);
    const byId = new Map(ledger.map((row) => [row.eventId, row]));
    const profiles = profilesByAccount(state);
    for (const event of before) expect(byId.get(event.id)).toMatchObject({ status: LedgerStatus.processed, attempts: 1 });
    for (const event of all) {
      const row = byId.get(event.id);
      expect(row?.status).toBe(LedgerStatus.processed);
      // A run is counted by its claim; a commit lost to the outage leaves a lease that the next delivery takes over.
      expect(row?.attempts).toBeGreaterThanOrEqual(1);
      expect(row?.attempts).toBeLessThanOrEqual(2);
      expect(counter.runs.get(event.id) ?? 0).toBeGreaterThanOrEqual(1);
      expect(counter.runs.get(event.id) ?? 0).toBeLessThanOrEqual(row?.attempts ?? 0);
      // Exactly one effect: one PROFILE for the event's account, written by this event.
      expect(profiles.get(event.account)?.map((item) => item.sourceEventId)).toEqual([event.id]);
    }
  });
});
