/**
 * Each emulator's own ceiling on this machine, next to the end-to-end figure: raw SDK calls from 16 concurrent
 * callers in this process, after a warm-up (DynamoDB Local runs on the JVM and is much slower at first).
 * Needs the SDK pointed at the emulators (useEmulatorEndpoints) first.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { eventFactory, template } from './lib/payloads';
import { round } from './lib/stats';

export interface Ceiling {
  readonly callsPerSecond: number;
  readonly calls: number;
  readonly errors: number;
  readonly seconds: number;
}

export interface CeilingsResult {
  readonly callers: number;
  readonly warmUpSeconds: number;
  readonly fauxqsSendMessage: Ceiling;
  readonly dynamoDbPutItem: Ceiling;
  readonly dynamoDbTransactWriteItems: Ceiling;
  readonly shapes: { readonly sendMessage: string; readonly putItem: string; readonly transactWriteItems: string };
}

/** `callers` loops calling `call` for `warmUpMs` (not counted), then for `measureMs`. */
const hammer = async (options: { readonly callers: number; readonly warmUpMs: number; readonly measureMs: number; readonly call: (n: number) => Promise<unknown> }): Promise<Ceiling> => {
  let n = 0;
  const phase = async (ms: number) => {
    let calls = 0;
    let errors = 0;
    const start = Date.now();
    const end = start + ms;
    await Promise.all(
      Array.from({ length: options.callers }, async () => {
        while (Date.now() < end) {
          n += 1;
          try {
            await options.call(n);
            calls += 1;
          } catch {
            errors += 1;
          }
        }
      }),
    );
    const seconds = (Date.now() - start) / 1000;
    return { calls, errors, seconds: round(seconds, 2), callsPerSecond: Math.round(calls / seconds) };
  };
  await phase(options.warmUpMs);
  return phase(options.measureMs);
};

export const measureCeilings = async (options: { readonly callers: number; readonly warmUpSeconds: number; readonly seconds: number }): Promise<CeilingsResult> => {
  const settings = { callers: options.callers, warmUpMs: options.warmUpSeconds * 1000, measureMs: options.seconds * 1000 };
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const dynamoDb = new DynamoDBClient({ maxAttempts: 3 });
  const queueName = `bench-ceiling-${Date.now()}`;
  const table = `bench-ceiling-${Date.now()}`;
  const event = eventFactory({ template: template('account.updated'), prefix: 'ceiling' })();
  const text = (value: string): AttributeValue => ({ S: value });
  // About the size of a ledger item: the record's attributes plus ~1 KB of gzipped payload.
  const ledgerLike = (key: string): Record<string, AttributeValue> => ({
    pk: text(key),
    status: text('processing'),
    eventType: text('account.updated'),
    account: text('acct_bench1'),
    firstReceivedAt: text(new Date().toISOString()),
    attempts: { N: '1' },
    payload: { B: randomBytes(1000) },
  });
  try {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl;
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    const fauxqsSendMessage = await hammer({
      ...settings,
      call: () =>
        sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: event.body,
            MessageAttributes: { eventId: attribute(event.id), eventType: attribute('account.updated'), account: attribute('acct_bench1'), livemode: attribute('false'), route: attribute('connect') },
          }),
        ),
    });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    await dynamoDb.send(
      new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const dynamoDbPutItem = await hammer({ ...settings, call: (n) => dynamoDb.send(new PutItemCommand({ TableName: table, Item: ledgerLike(`put#${n}`), ConditionExpression: 'attribute_not_exists(pk)' })) });
    const dynamoDbTransactWriteItems = await hammer({
      ...settings,
      call: (n) =>
        dynamoDb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: table, Item: ledgerLike(`tx#${n}#ledger`), ConditionExpression: 'attribute_not_exists(pk)' } },
              { ConditionCheck: { TableName: table, Key: { pk: text(`tx#${n}#guard`) }, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName: table, Item: { pk: text(`tx#${n}#state`), available: text('[{"currency":"usd","amount":914}]'), stateVersion: text(`000001#evt_${n}`) } } },
            ],
          }),
        ),
    });
    await dynamoDb.send(new DeleteTableCommand({ TableName: table }));
    return {
      callers: options.callers,
      warmUpSeconds: options.warmUpSeconds,
      fauxqsSendMessage,
      dynamoDbPutItem,
      dynamoDbTransactWriteItems,
      shapes: {
        sendMessage: `${Buffer.byteLength(event.body)}-byte account.updated body with the ingest's 5 message attributes`,
        putItem: 'conditional put of a ~1.2 KB ledger-like item, fresh key each call',
        transactWriteItems: 'conditional put of a ~1.2 KB ledger-like item + a ConditionCheck + a small state put, fresh keys each call (the commit\'s shape)',
      },
    };
  } finally {
    sqs.destroy();
    dynamoDb.destroy();
  }
};
