import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { AwsServiceError, createAwsJsonClient } from '../../functions/adapters/aws-json-client';
import { AWS_JSON_SERVICES } from '../../functions/adapters/aws-service-settings';
import { captureError } from '../support/capture-error';

/** The thin client against the real emulators: what the Lambdas send must be what the services accept. */
describe('createAwsJsonClient against the emulators', () => {
  const sqsSdk = new SQSClient({ useQueueUrlAsEndpoint: false });
  const dynamoSdk = new DynamoDBClient({});
  const sqs = createAwsJsonClient({ service: AWS_JSON_SERVICES.sqs });
  const dynamoDb = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb });
  const tableName = `json-client-${randomUUID()}`;

  beforeAll(async () => {
    await dynamoSdk.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  });

  afterAll(() => {
    sqsSdk.destroy();
    dynamoSdk.destroy();
  });

  it('sends an SQS message with its attributes, byte for byte', async () => {
    // Prepare
    const { QueueUrl } = await sqsSdk.send(new CreateQueueCommand({ QueueName: `json-client-${randomUUID()}` }));
    const body = JSON.stringify({ id: 'evt_1', note: 'é ✓ \u2028 "quoted"' });
    // Act
    const sent = await sqs.call<{ MessageId?: string }>('SendMessage', { QueueUrl, MessageBody: body, MessageAttributes: { eventId: { DataType: 'String', StringValue: 'evt_1' } } });
    // Assess
    const received = await sqsSdk.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
    expect(sent.MessageId).toEqual(expect.any(String));
    expect(received.Messages?.[0]?.Body).toBe(body);
    expect(received.Messages?.[0]?.MessageAttributes?.eventId?.StringValue).toBe('evt_1');
  });

  it('reports an SQS error by its type, not retried', async () => {
    // Act
    const error = await captureError(() => sqs.call('SendMessage', { QueueUrl: 'http://127.0.0.1/000000000000/no-such-queue', MessageBody: 'x' }));
    // Assess
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).statusCode).toBe(400);
    expect((error as AwsServiceError).context).toMatchObject({ service: 'sqs', operation: 'SendMessage', attempts: 1 });
  });

  it('keeps the old item of a failed DynamoDB condition in the error, as the SDK does', async () => {
    // Prepare
    const item = { pk: { S: 'a' }, n: { N: '1' } };
    await dynamoDb.call('PutItem', { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
    // Act
    const error = await captureError(() =>
      dynamoDb.call('PutItem', { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    );
    // Assess
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).name).toBe('ConditionalCheckFailedException');
    expect((error as AwsServiceError).body.Item).toEqual(item);
  });

  it('keeps the cancellation reasons of a cancelled transaction', async () => {
    // Prepare
    await dynamoDb.call('PutItem', { TableName: tableName, Item: { pk: { S: 'taken' } } });
    // Act
    const error = await captureError(() =>
      dynamoDb.call('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: tableName, Item: { pk: { S: 'free' } } } },
          { Put: { TableName: tableName, Item: { pk: { S: 'taken' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    // Assess
    expect((error as AwsServiceError).name).toBe('TransactionCanceledException');
    expect(((error as AwsServiceError).body.CancellationReasons as Array<{ Code: string }>).map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
  });

  it('reads back what it wrote', async () => {
    // Prepare
    await dynamoDb.call('PutItem', { TableName: tableName, Item: { pk: { S: 'read' }, list: { L: [{ S: 'x' }, { NULL: true }] } } });
    // Act
    const result = await dynamoDb.call<{ Item?: unknown }>('GetItem', { TableName: tableName, Key: { pk: { S: 'read' } }, ConsistentRead: true });
    // Assess
    expect(result.Item).toEqual({ pk: { S: 'read' }, list: { L: [{ S: 'x' }, { NULL: true }] } });
  });
});
