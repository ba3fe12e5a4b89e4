import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_AWS } from '../../local/emulators';
import type { PipelineState } from '../../local/local-settings';
import type { DoctorProbe } from './probe';
import { deadLetterDepthOf, lastReconcilerCursorAt, newestTimestamp } from './probe-reads';

/** The local ledger keeps records this long (the ledger's default retention): the whole of it is looked at. */
const LEDGER_RETENTION_SECONDS = 35 * 86_400;

interface QueuedMessage {
  readonly sentTimestamp: number;
}
/** What fauxqs's inspection endpoint answers for a queue: every message, without receiving any. */
interface QueueInspection {
  readonly messages: { readonly ready: QueuedMessage[]; readonly delayed: QueuedMessage[]; readonly inflight: Array<{ readonly message: QueuedMessage }> };
}

/** When the oldest message of a local queue was sent, read through the emulator's inspection endpoint (receiving would count as a delivery). */
const oldestSentAt = async (sqsEndpoint: string, queueUrl: string): Promise<number | undefined> => {
  const name = queueUrl.split('/').pop() ?? '';
  const response = await fetch(`${sqsEndpoint}/_fauxqs/queues/${encodeURIComponent(name)}`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`the SQS emulator answered ${response.status} for queue ${name}`);
  const { messages } = (await response.json()) as QueueInspection;
  const sent = [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry.message)].map((message) => message.sentTimestamp);
  return sent.length === 0 ? undefined : Math.min(...sent);
};

/** Newest `processedAt` in the local ledger: a scan, fine for a laptop's ledger and never run against a deployed one. */
const newestProcessedAt = (client: DynamoDBDocumentClient, tableName: string): Promise<number | undefined> =>
  newestTimestamp('processedAt', (startKey) =>
    client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#status = :processed',
        ProjectionExpression: 'processedAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processed': 'processed' },
        ExclusiveStartKey: startKey,
      }),
    ),
  );

/** The local pipeline `npm start` runs, as its state file describes it; clients go straight to its emulators. */
export const createLocalProbe = (options: { readonly state: PipelineState; readonly env: NodeJS.ProcessEnv; readonly nowMs: () => number }): DoctorProbe => {
  const { state } = options;
  const aws = { region: state.region, credentials: LOCAL_AWS.credentials };
  const sqs = new SQSClient({ ...aws, endpoint: state.endpoints.sqs, useQueueUrlAsEndpoint: false });
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: state.endpoints.dynamoDb }));
  const thin = (state.secrets as { readonly thin?: readonly string[] }).thin;
  return {
    target: `local pipeline at ${state.url}`,
    hasStripeEndpoints: false,
    reconcilerScheduled: false,
    cli: (command) => `npx connect-webhooks ${command}`,
    apiKeyFix: 'set STRIPE_API_KEY to a test-mode key (rk_test_… with read access to Events) when you run the CLI',
    processedLookbackSeconds: LEDGER_RETENTION_SECONDS,
    setupProblems: async () => {
      try {
        const response = await fetch(`${state.url}/health`, { signal: AbortSignal.timeout(5000) });
        return response.ok ? [] : [`${state.url}/health answered ${response.status}`];
      } catch {
        return [`nothing answers at ${state.url} (started ${state.startedAt}, pid ${state.pid}): the pipeline has stopped`];
      }
    },
    setupSummary: () => `answering at ${state.url} (pid ${state.pid})`,
    routeUrls: () => ({ account: `${state.url}/webhooks/account`, connect: `${state.url}/webhooks/connect`, ...(thin === undefined ? {} : { thin: `${state.url}/webhooks/thin` }) }),
    secretLists: async () => ({ account: state.secrets.account, connect: state.secrets.connect, ...(thin === undefined ? {} : { thin }) }),
    stripeApiKey: async () => {
      const key = options.env.STRIPE_API_KEY?.trim();
      return key === undefined || key === '' ? undefined : key;
    },
    deadLetterDepth: () => deadLetterDepthOf(sqs, state.resources.deadLetterQueueUrl),
    oldestMessageAgeSeconds: async () => {
      const sentAt = await oldestSentAt(state.endpoints.sqs, state.resources.queueUrl);
      return sentAt === undefined ? undefined : Math.max(0, (options.nowMs() - sentAt) / 1000);
    },
    lastProcessedAt: () => newestProcessedAt(dynamoDb, state.resources.ledgerTableName),
    reconcilerLastRunAt: () => lastReconcilerCursorAt(dynamoDb, state.resources.stateTableName),
    alarmsInAlarm: async () => undefined,
    close: () => {
      sqs.destroy();
      dynamoDb.destroy();
    },
  };
};
