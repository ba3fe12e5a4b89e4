import { SQSClient } from '@aws-sdk/client-sqs';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { LOCAL_AWS, startFauxqs } from '../../local/emulators';
import type { Emulator } from '../../local/emulators';
import { ensureQueues } from '../../local/resources';
import { freePort } from '../../local/free-port';
import { countingHandler, eventually, mapLimit, postWebhook, profilesByAccount, saveAwsEnv, sharedEndpoints, signedDeliveries, sleep, startReliabilityPipeline, useCleanup } from './harness';

const VISIBILITY_TIMEOUT_SECONDS = 2;
const MAX_RECEIVE_COUNT = 5;

jest.setTimeout(120_000);

describe('SQS unreachable at the ingest', () => {
  const cleanup = useCleanup();

  test('POSTs answer 5xx and record nothing; the same signed payloads sent again once SQS is back are processed once', async () => {
    // Prepare: a fauxqs of this test's own (DynamoDB is the shared one), a pipeline on it, one event through it.
    cleanup.add('AWS settings', saveAwsEnv());
    const sqsPort = await freePort();
    let fauxqs: Emulator | undefined = await startFauxqs({ port: sqsPort });
    cleanup.add('fauxqs', () => fauxqs?.stop());
    const counter = countingHandler();
    const registry = createHandlerRegistry({ projections: connectProjections, custom: { 'account.updated': counter.handler } });
    const endpoints = { dynamoDb: sharedEndpoints().dynamoDb, sqs: fauxqs.endpoint };
    const harness = await startReliabilityPipeline({ endpoints, registry, visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS, maxReceiveCount: MAX_RECEIVE_COUNT });
    cleanup.add('pipeline', () => harness.stop());
    const { resources } = harness.pipeline;
    const [warmUp] = signedDeliveries(1, harness.secrets.connect);
    const events = signedDeliveries(10, harness.secrets.connect);
    const post = (batch: typeof events) => mapLimit(batch, 10, async (event) => postWebhook(harness.pipeline.url, event));
    expect((await postWebhook(harness.pipeline.url, warmUp!)).status).toBe(200);
    await eventually(async () => (await harness.observe.ledger(resources.ledgerTableName)).some((row) => row.status === LedgerStatus.processed) || 'not yet', 'the warm-up event to be processed', 30_000);

    // Act: SQS stops; the events are posted (Stripe's first attempt), then SQS comes back on the same port with
    // the same queues (fauxqs keeps nothing across a restart, as a fresh region would), and the very same signed
    // payloads are posted again, as Stripe retries a delivery it got a 5xx for.
    await fauxqs.stop();
    fauxqs = undefined;
    const refused = await post(events);
    const refusedBodies = await Promise.all(refused.map((response) => response.json() as Promise<unknown>));
    await sleep(1500);
    const ledgerDuringOutage = await harness.observe.ledger(resources.ledgerTableName);
    fauxqs = await startFauxqs({ port: sqsPort });
    const sqs = new SQSClient({ endpoint: fauxqs.endpoint, ...LOCAL_AWS, useQueueUrlAsEndpoint: false });
    const recreated = await ensureQueues(sqs, {
      ledgerTableName: resources.ledgerTableName,
      stateTableName: resources.stateTableName,
      queueName: resources.queueUrl.split('/').pop() ?? '',
      deadLetterQueueName: resources.deadLetterQueueUrl.split('/').pop() ?? '',
      visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    sqs.destroy();
    const depthBeforeRetry = await harness.observe.depth(resources.queueUrl);
    const retried = await post(events);
    await eventually(async () => {
      const [rows, depth] = await Promise.all([harness.observe.ledger(resources.ledgerTableName), harness.observe.depth(resources.queueUrl)]);
      const processed = rows.filter((row) => row.status === LedgerStatus.processed).length;
      return (processed === events.length + 1 && depth === 0) || `${processed}/${events.length + 1} processed, queue ${depth}`;
    }, 'the retried events to be processed', 45_000);
    const [ledger, state, deadLetters] = await Promise.all([harness.observe.ledger(resources.ledgerTableName), harness.observe.state(resources.stateTableName), harness.observe.depth(resources.deadLetterQueueUrl)]);

    // Assess
    expect(refused.map((response) => response.status)).toEqual(events.map(() => 503));
    expect(refusedBodies).toEqual(events.map(() => ({ error: 'Temporarily unavailable, retry later' })));
    expect(ledgerDuringOutage.map((row) => row.eventId)).toEqual([warmUp!.id]);
    expect(recreated).toEqual({ queueUrl: resources.queueUrl, deadLetterQueueUrl: resources.deadLetterQueueUrl });
    expect(depthBeforeRetry).toBe(0);
    expect(retried.map((response) => response.status)).toEqual(events.map(() => 200));
    expect(ledger).toHaveLength(events.length + 1);
    const profiles = profilesByAccount(state);
    for (const event of events) {
      expect(ledger.find((row) => row.eventId === event.id)).toMatchObject({ status: LedgerStatus.processed, attempts: 1 });
      expect({ id: event.id, runs: counter.runs.get(event.id) }).toEqual({ id: event.id, runs: 1 });
      expect(profiles.get(event.account)?.map((item) => item.sourceEventId)).toEqual([event.id]);
    }
    expect(deadLetters).toBe(0);
  });
});
