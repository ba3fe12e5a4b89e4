import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbClient, createSqsClient } from '../../functions/adapters/aws-clients';
import { createEnvWebhookSecrets } from '../../functions/adapters/env-webhook-secrets';
import { createHmacSignatureVerifier } from '../../functions/adapters/hmac-signature-verifier';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordOutcome } from '../../functions/core/process-event';
import { createIngestHandler } from '../../functions/ingest/create-handler';
import { startHttpApiServer } from '../../local/http-api-server';
import { makeEventBody, signPayload, stripeId } from '../support/event-factory';
import { createRecordingLogger } from '../support/fakes';
import { ProxyFault, startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy } from '../support/fault-proxy';
import { createTestTables, startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';
import { createRealWorker } from './worker-harness';

jest.setTimeout(90_000);

/** Loses the reply of the first request of `operation`; every other request goes through. */
const loseFirstReplyOf =
  (operation: string) =>
  (request: { readonly operation: string; readonly seen: number }): ProxyFault =>
    request.operation === operation && request.seen === 0 ? ProxyFault.loseReply : ProxyFault.none;

describe('exactly once when AWS replies are lost', () => {
  let proxy: FaultProxy | undefined;

  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  test('a commit whose reply is lost is retried with the same ClientRequestToken and ends processed once, with its counts', async () => {
    // Prepare: DynamoDB Local behind a proxy that lets the first TransactWriteItems commit, then drops its answer.
    proxy = await startFaultProxy({ upstream: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', faultFor: loseFirstReplyOf('TransactWriteItems') });
    const logger = createRecordingLogger();
    const tables = await createTestTables();
    const worker = createRealWorker({ ...tables, client: createDocumentClient({ endpoint: proxy.endpoint }), logger });
    const eventId = stripeId('evt');

    // Act
    const outcome = await worker.deliver(makeEventBody({ id: eventId }));

    // Assess
    const commits = proxy.of('TransactWriteItems');
    expect(commits.map((commit) => commit.fault)).toEqual([ProxyFault.loseReply, ProxyFault.none]);
    expect(commits[0]?.body.ClientRequestToken).toEqual(expect.any(String));
    expect(commits[1]?.body.ClientRequestToken).toBe(commits[0]?.body.ClientRequestToken);
    expect(outcome).toBe(RecordOutcome.processed);
    const processed = logger.lines.filter((line) => line.message === 'event processed');
    expect(processed).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ eventId, applied: 1, stale: 0, attempts: 1 }) })]);
    expect(processed[0]?.attributes).not.toHaveProperty('leaseLost');
  });

  test('a claim whose reply is lost is retried, recognised as its own, and the event is processed in the same delivery', async () => {
    // Prepare
    proxy = await startFaultProxy({ upstream: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', faultFor: loseFirstReplyOf('PutItem') });
    const logger = createRecordingLogger();
    const worker = createRealWorker({ ...(await createTestTables()), client: createDocumentClient({ endpoint: proxy.endpoint }), logger });
    const eventId = stripeId('evt');

    // Act
    const outcome = await worker.deliver(makeEventBody({ id: eventId }));

    // Assess
    expect(proxy.of('PutItem').map((request) => request.fault)).toEqual([ProxyFault.loseReply, ProxyFault.none]);
    expect(outcome).toBe(RecordOutcome.processed);
    expect(logger.lines.filter((line) => line.message === 'event processed').map((line) => line.attributes)).toEqual([expect.objectContaining({ eventId, applied: 1, stale: 0, attempts: 1 })]);
  });

  test('control: the same lost reply, retried under a new token as the hand-written client did, ends as leaseLost', async () => {
    // Prepare: as above, but each attempt of the commit carries a token of its own (rewritten before signing).
    proxy = await startFaultProxy({ upstream: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', faultFor: loseFirstReplyOf('TransactWriteItems') });
    const dynamoDb = createDynamoDbClient({ endpoint: proxy.endpoint });
    type Next = (args: { request: unknown }) => Promise<{ output: unknown; response: unknown }>;
    const newTokenPerAttempt = (next: Next, context: { commandName?: string }) => async (args: { request: unknown }) => {
      const request = args.request as { headers: Record<string, string>; body: Uint8Array | string };
      if (context.commandName === 'TransactWriteItemsCommand') {
        const bytes = typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
        const text = JSON.stringify({ ...(JSON.parse(bytes.toString('utf8')) as Record<string, unknown>), ClientRequestToken: randomUUID() });
        request.body = text;
        request.headers['content-length'] = String(Buffer.byteLength(text));
      }
      return next(args);
    };
    dynamoDb.middlewareStack.addRelativeTo(
      newTokenPerAttempt as unknown as Parameters<typeof dynamoDb.middlewareStack.addRelativeTo>[0],
      { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'newTokenPerAttempt' },
    );
    const logger = createRecordingLogger();
    const worker = createRealWorker({ ...(await createTestTables()), client: createDocumentClient({ client: dynamoDb }), logger });
    const eventId = stripeId('evt');

    // Act
    await worker.deliver(makeEventBody({ id: eventId }));

    // Assess
    const commits = proxy.of('TransactWriteItems');
    expect(commits).toHaveLength(2);
    expect(commits[1]?.body.ClientRequestToken).not.toBe(commits[0]?.body.ClientRequestToken);
    expect(logger.lines.filter((line) => line.message === 'event processed').map((line) => line.attributes)).toEqual([expect.objectContaining({ eventId, leaseLost: true })]);
  });

  describe('a SendMessage whose reply is lost', () => {
    let harness: TestPipeline;
    let ingest: Awaited<ReturnType<typeof startHttpApiServer>>;
    const pipelineLog = createRecordingLogger();

    beforeAll(async () => {
      harness = await startTestPipeline({ logger: pipelineLog });
    });

    /** The worker's outcome lines for one event, once there are `count` of them. */
    const outcomesOf = async (eventId: string, count: number): Promise<string[]> => {
      const outcomes = () => pipelineLog.lines.filter((line) => line.attributes.eventId === eventId && ['event processed', 'duplicate delivery'].includes(line.message)).map((line) => line.message);
      for (let waited = 0; outcomes().length < count && waited < 300; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      return outcomes().sort();
    };

    afterAll(async () => {
      await ingest?.stop();
      await harness.stop();
    });

    test('is retried by the SDK, which may enqueue the event twice; the worker processes it once', async () => {
      // Prepare: the pipeline's worker, and an ingest whose SQS calls go through a proxy that drops the first answer.
      proxy = await startFaultProxy({ upstream: process.env.AWS_ENDPOINT_URL_SQS ?? '', faultFor: loseFirstReplyOf('SendMessage') });
      const handler = createIngestHandler({
        deps: {
          queue: createSqsEventQueue({ client: createSqsClient({ endpoint: proxy.endpoint }), queueUrl: harness.pipeline.resources.queueUrl }),
          secrets: createEnvWebhookSecrets({ STRIPE_WEBHOOK_SECRET: harness.secrets.account, STRIPE_CONNECT_WEBHOOK_SECRET: harness.secrets.connect }),
          verifier: createHmacSignatureVerifier(),
          clock: Date.now,
        },
        logger: createRecordingLogger(),
      });
      ingest = await startHttpApiServer({ port: 0, handler, isReady: () => true });
      const eventId = stripeId('evt');
      const payload = makeEventBody({ id: eventId });

      // Act
      const response = await fetch(`${ingest.url}/webhooks/connect`, { method: 'POST', headers: { 'stripe-signature': signPayload({ payload, secret: harness.secrets.connect }), 'content-type': 'application/json' }, body: payload });
      const processed = await harness.waitForStatus(eventId, LedgerStatus.processed);
      const outcomes = await outcomesOf(eventId, 2);

      // Assess
      expect(response.status).toBe(200);
      expect(proxy.of('SendMessage').map((request) => request.fault)).toEqual([ProxyFault.loseReply, ProxyFault.none]);
      expect(outcomes).toEqual(['duplicate delivery', 'event processed']);
      expect(processed.attempts).toBe(1);
      expect(await harness.ledger.get({ eventId, nowMs: Date.now() })).toMatchObject({ status: LedgerStatus.processed, attempts: 1 });
      expect(await harness.peekDeadLetters()).toEqual([]);
    });
  });
});
