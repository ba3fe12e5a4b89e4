import { GetQueueAttributesCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { accountsCommand } from '../../cli/accounts-command';
import type { LedgerRecord } from '../../functions/core/ledger-record';
import { ledgerOf, waitForLedgerRecord } from '../support/ledger-wait';
import type { Logger } from '../../functions/core/ports';
import { startLocalPipeline } from '../../local/pipeline';
import type { LocalPipeline } from '../../local/pipeline';
import { startStripeStandIn } from '../../local/stripe-stand-in';
import type { StripeStandIn } from '../../local/stripe-stand-in';
import { runCli, useEnv } from '../support/cli-runner';
import { signPayload } from '../support/event-factory';
import { isolatedResources, newTestSecrets, writeStateFile } from '../support/pipeline-fixtures';
import { THIN_FIXTURE_ACCOUNT, loadThinEvent, loadThinNotification, loadV2Account } from '../support/thin-fixtures';
import { eventBridgeEnvelope } from '../support/thin-worker-harness';

jest.setTimeout(60_000);

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const TYPE = 'v2.core.account[requirements].updated';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('acceptance: a thin Accounts v2 event through the local pipeline, against a fake Stripe', () => {
  let fakeStripe: StripeStandIn;
  let pipeline: LocalPipeline;
  let env: { restore(): void };
  let stateFile: string;
  const secrets = { ...newTestSecrets(), thin: `whsec_it_thin_${randomBytes(12).toString('hex')}` };
  const ledger = () => ledgerOf(pipeline);
  const waitFor = (eventId: string, predicate: (record: LedgerRecord) => boolean): Promise<LedgerRecord> => waitForLedgerRecord({ ledger: ledger(), eventId, predicate });
  const post = (route: string, payload: string, secret: string) =>
    fetch(`${pipeline.url}/webhooks/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signPayload({ payload, secret }) }, body: payload });

  beforeAll(async () => {
    fakeStripe = await startStripeStandIn();
    fakeStripe.put({ events: [loadThinEvent(TYPE)], accounts: [loadV2Account()] });
    env = useEnv({ STRIPE_API_BASE_URL: fakeStripe.url, STRIPE_API_KEY: 'sk_test_acceptance_fake' });
    const endpoints = { dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB as string, sqs: process.env.AWS_ENDPOINT_URL_SQS as string };
    pipeline = await startLocalPipeline({ endpoints, secrets: { account: [secrets.account], connect: [secrets.connect], thin: [secrets.thin] }, port: 0, resources: isolatedResources(), loggerFor: () => silent });
    stateFile = writeStateFile({ pipeline, endpoints, secrets });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await fakeStripe?.stop();
    env?.restore();
  });

  test('the signed notification on /webhooks/thin ends processed, and accounts show prints the fetched requirements and status', async () => {
    // Prepare
    const payload = loadThinNotification(TYPE);
    const { id } = JSON.parse(payload) as { id: string };

    // Act
    const response = await post('thin', payload, secrets.thin);
    const record = await waitFor(id, (candidate) => candidate.status === 'processed');
    const shown = await runCli([accountsCommand()], ['accounts', 'show', THIN_FIXTURE_ACCOUNT, '--state', stateFile]);

    // Assess
    expect(response.status).toBe(200);
    expect(record).toMatchObject({ status: 'processed', eventType: TYPE, account: THIN_FIXTURE_ACCOUNT });
    expect(fakeStripe.reads.map(({ path, stripeContext, status }) => ({ path, stripeContext, status }))).toEqual([
      { path: `/v2/core/events/${id}`, stripeContext: THIN_FIXTURE_ACCOUNT, status: 200 },
      { path: `/v2/core/accounts/${THIN_FIXTURE_ACCOUNT}`, stripeContext: THIN_FIXTURE_ACCOUNT, status: 200 },
    ]);
    expect(shown.exitCode).toBe(0);
    const view = (JSON.parse(shown.stdout) as { modes: { test: { status: string; profile: Record<string, unknown> } } }).modes.test;
    expect(view.status).toBe('restricted');
    expect(view.profile).toMatchObject({
      accountsApi: 'v2',
      requirements: { pastDue: ['identity.business_details.address.line1'], currentlyDue: ['documents.primary_verification'], minimumDeadlineStatus: 'past_due' },
      restrictedCapabilities: ['merchant.card_payments'],
      lastEventId: id,
    });
  });

  test('the same Stripe event delivered as an EventBridge envelope straight into the queue is a duplicate', async () => {
    // Prepare
    const payload = loadThinNotification(TYPE);
    const { id } = JSON.parse(payload) as { id: string };
    await waitFor(id, (candidate) => candidate.status === 'processed');
    const readsBefore = fakeStripe.reads.length;
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: pipeline.resources.queueUrl, MessageBody: eventBridgeEnvelope(JSON.parse(payload) as Record<string, unknown>) }));
    // The worker deletes a duplicate's message: the queue empties once it has been seen.
    const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
    const depth = async () => {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: pipeline.resources.queueUrl, AttributeNames: [...names] }));
      return names.reduce((sum, name) => sum + Number(Attributes?.[name] ?? 0), 0);
    };
    const deadline = Date.now() + 20_000;
    let seenEmpty = false;
    await sleep(500);
    while (!seenEmpty && Date.now() < deadline) {
      seenEmpty = (await depth()) === 0;
      if (!seenEmpty) await sleep(200);
    }
    const record = await ledger().get({ eventId: id, nowMs: Date.now() });
    sqs.destroy();

    // Assess
    expect(seenEmpty).toBe(true);
    expect(record).toMatchObject({ status: 'processed', attempts: 1 });
    expect(fakeStripe.reads).toHaveLength(readsBefore);
  });

  test('a thin body on /webhooks/connect gets a 4xx and nothing is enqueued', async () => {
    // Prepare
    const payload = loadThinNotification('v2.core.account.updated');
    const { id } = JSON.parse(payload) as { id: string };

    // Act
    const response = await post('connect', payload, secrets.connect);
    await sleep(1_000);

    // Assess
    expect(response.status).toBe(400);
    expect(await ledger().get({ eventId: id, nowMs: Date.now() })).toBeUndefined();
  });
});
