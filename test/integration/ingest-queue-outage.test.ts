import { createSqsClient } from '../../functions/adapters/aws-clients';
import { createEnvWebhookSecrets } from '../../functions/adapters/env-webhook-secrets';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { createStripeSignatureVerifier } from '../../functions/adapters/stripe-signature-verifier';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { createIngestHandler } from '../../functions/ingest/create-handler';
import { startHttpApiServer } from '../../local/http-api-server';
import { createRecordingLogger } from '../support/fakes';
import { makeEventBody, signPayload, stripeId } from '../support/event-factory';
import { freePort } from '../../local/free-port';
import { startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(60_000);

describe('ingest when SQS is unreachable', () => {
  let harness: TestPipeline;
  let outage: Awaited<ReturnType<typeof startHttpApiServer>>;
  const logger = createRecordingLogger();

  beforeAll(async () => {
    harness = await startTestPipeline();
    // The same ingest wiring, but its SQS endpoint is a loopback port nothing listens on.
    const unreachable = createSqsClient({ endpoint: `http://127.0.0.1:${await freePort()}`, calls: { maxAttempts: 2, connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
    const handler = createIngestHandler({
      deps: {
        queue: createSqsEventQueue({ client: unreachable, queueUrl: harness.pipeline.resources.queueUrl }),
        secrets: createEnvWebhookSecrets({ STRIPE_WEBHOOK_SECRET: harness.secrets.account, STRIPE_CONNECT_WEBHOOK_SECRET: harness.secrets.connect }),
        verifier: createStripeSignatureVerifier(),
        clock: Date.now,
      },
      logger,
    });
    outage = await startHttpApiServer({ port: 0, handler, isReady: () => true });
  });

  afterAll(async () => {
    await outage.stop();
    await harness.stop();
  });

  test('answers 5xx so Stripe retries, records nothing, and the retry is processed once', async () => {
    // Prepare
    const eventId = stripeId('evt');
    const payload = makeEventBody({ id: eventId });
    const header = signPayload({ payload, secret: harness.secrets.connect });

    // Act
    const refused = await fetch(`${outage.url}/webhooks/connect`, { method: 'POST', headers: { 'stripe-signature': header, 'content-type': 'application/json' }, body: payload });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const recordAfterOutage = await harness.ledger.get({ eventId, nowMs: Date.now() });
    const depthAfterOutage = await harness.depth(harness.pipeline.resources.queueUrl);
    const retried = await harness.post({ payload, route: 'connect', header });
    const processed = await harness.waitForStatus(eventId, LedgerStatus.processed);

    // Assess
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: 'Temporarily unavailable, retry later' });
    expect(logger.lines.some((line) => line.level === 'error' && line.attributes?.code === 'queue.unavailable')).toBe(true);
    expect(recordAfterOutage).toBeUndefined();
    expect(depthAfterOutage).toBe(0);
    expect(retried.status).toBe(200);
    expect(processed.attempts).toBe(1);
  });
});
