import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import type { HandlerRegistry } from '../../functions/core/handler-registry';
import type { LedgerRecord, LedgerStatus } from '../../functions/core/ledger-record';
import type { EventLedger, Logger } from '../../functions/core/ports';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalPipeline } from '../../local/pipeline';
import { ensureLedgerTable, ensureStateTable } from '../../local/resources';
import type { LocalPipeline } from '../../local/pipeline';
import { signPayload } from '../support/event-factory';
import { isolatedResources, newTestSecrets, uniqueName } from '../support/pipeline-fixtures';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export { uniqueName };

/** A started pipeline plus what tests need to drive and observe it. */
export interface TestPipeline {
  readonly pipeline: LocalPipeline;
  readonly ledger: EventLedger;
  readonly sqs: SQSClient;
  readonly secrets: { readonly account: string; readonly connect: string };
  post(options: { readonly payload: string; readonly route: 'account' | 'connect'; readonly header?: string }): Promise<Response>;
  waitForRecord(eventId: string, predicate: (record: LedgerRecord) => boolean, timeoutMs?: number): Promise<LedgerRecord>;
  waitForStatus(eventId: string, status: LedgerStatus, timeoutMs?: number): Promise<LedgerRecord>;
  /** Messages waiting or in flight on a queue. */
  depth(queueUrl: string): Promise<number>;
  /** Receives (and leaves) up to 10 messages of the DLQ. */
  peekDeadLetters(): Promise<readonly Message[]>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the local pipeline on a free port, with its own table and queues, against the shared emulators. */
export const startTestPipeline = async (options: {
  readonly registry?: HandlerRegistry;
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  readonly leaseSeconds?: number;
  /** Receives the pipeline's log lines. @default a logger that writes nothing */
  readonly logger?: Logger;
} = {}): Promise<TestPipeline> => {
  const secrets = newTestSecrets();
  const pipeline = await startLocalPipeline({
    endpoints: { dynamoDb: required('AWS_ENDPOINT_URL_DYNAMODB'), sqs: required('AWS_ENDPOINT_URL_SQS') },
    secrets: { account: [secrets.account], connect: [secrets.connect] },
    port: 0,
    resources: isolatedResources(options),
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    loggerFor: () => options.logger ?? silent,
  });
  const ledger = createDynamoDbEventLedger({ client: createDocumentClient(), tableName: pipeline.resources.ledgerTableName, stateTableName: pipeline.resources.stateTableName });
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const waitForRecord = async (eventId: string, predicate: (record: LedgerRecord) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: LedgerRecord | undefined;
    while (Date.now() < deadline) {
      last = await ledger.get({ eventId, nowMs: Date.now() });
      if (last !== undefined && predicate(last)) return last;
      await sleep(100);
    }
    throw new Error(`ledger record of ${eventId} did not reach the expected state; last seen: ${JSON.stringify(last)}`);
  };
  return {
    pipeline,
    ledger,
    sqs,
    secrets,
    post: ({ payload, route, header }) =>
      fetch(`${pipeline.url}/webhooks/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header ?? signPayload({ payload, secret: secrets[route] }) },
        body: payload,
      }),
    waitForRecord,
    waitForStatus: (eventId, status, timeoutMs) => waitForRecord(eventId, (record) => record.status === status, timeoutMs),
    async depth(queueUrl) {
      const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
      const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
      return names.reduce((sum, name) => sum + Number(result.Attributes?.[name] ?? 0), 0);
    },
    async peekDeadLetters() {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: pipeline.resources.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
      );
      return received.Messages ?? [];
    },
    async stop() {
      await pipeline.stop();
      sqs.destroy();
    },
  };
};

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: the integration global setup did not run`);
  return value;
};

/** Polls until `probe` is true. */
export const eventually = async (probe: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** A fresh ledger table and state table in DynamoDB Local, created as `npm start` creates them. */
export const createTestTables = async (): Promise<{ readonly ledgerTable: string; readonly stateTable: string }> => {
  const client = new DynamoDBClient({});
  const tables = { ledgerTable: uniqueName('ledger'), stateTable: uniqueName('state') };
  await Promise.all([ensureLedgerTable(client, tables.ledgerTable), ensureStateTable(client, tables.stateTable)]);
  client.destroy();
  return tables;
};
