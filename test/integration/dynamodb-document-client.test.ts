import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../../functions/adapters/aws-json-client';
import { createDocumentClient } from '../../functions/adapters/dynamodb-client';
import type { DocumentPage, NativeItem } from '../../functions/adapters/dynamodb-document-client';
import { captureError } from '../support/capture-error';

/** The adapters' document client against DynamoDB Local: native values in and out, as the SDK's document client. */
describe('createDocumentClient against DynamoDB Local', () => {
  const sdk = new DynamoDBClient({});
  const client = createDocumentClient();
  const tableName = `document-client-${randomUUID()}`;

  /** Every page of a query or scan, and how many pages it took. */
  const allPages = async (read: (startKey: NativeItem | undefined) => Promise<DocumentPage>) => {
    const items: NativeItem[] = [];
    const startKeys: Array<NativeItem | undefined> = [];
    let startKey: NativeItem | undefined;
    do {
      startKeys.push(startKey);
      const page = await read(startKey);
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return { items, startKeys };
  };

  beforeAll(async () => {
    await sdk.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  });

  afterAll(() => {
    sdk.destroy();
  });

  it('round-trips native values, dropping undefined attributes at any depth', async () => {
    // Prepare
    const item = {
      pk: 'round-trip',
      sk: 'a',
      text: 'é ✓ "quoted"',
      integer: 42,
      negative: -1.25,
      flag: true,
      off: false,
      nothing: null,
      gone: undefined,
      list: ['x', 1, false, null, { inner: 'y', dropped: undefined }, [2, 3]],
      nested: { level: { deeper: { value: 7, empty: {} } }, tags: ['a', 'b'], dropped: undefined },
      bytes: new Uint8Array([0, 1, 2, 250, 255]),
      names: new Set(['one', 'two']),
    };
    // Act
    await client.put({ TableName: tableName, Item: item });
    const read = await client.get({ TableName: tableName, Key: { pk: 'round-trip', sk: 'a' }, ConsistentRead: true });
    // Assess
    const { gone: _gone, ...stored } = item;
    expect(read.Item).toEqual({
      ...stored,
      list: ['x', 1, false, null, { inner: 'y' }, [2, 3]],
      nested: { level: { deeper: { value: 7, empty: {} } }, tags: ['a', 'b'] },
    });
    expect(read.Item).not.toHaveProperty('gone');
    expect(read.Item?.bytes).toBeInstanceOf(Uint8Array);
  });

  it('reads an absent item as no Item', async () => {
    // Act
    const read = await client.get({ TableName: tableName, Key: { pk: 'absent', sk: 'a' }, ConsistentRead: true });
    // Assess
    expect(read).toEqual({});
  });

  it('returns the updated item with native values', async () => {
    // Prepare
    await client.put({ TableName: tableName, Item: { pk: 'update', sk: 'a', count: 1 } });
    // Act
    const updated = await client.update({
      TableName: tableName,
      Key: { pk: 'update', sk: 'a' },
      UpdateExpression: 'SET #count = #count + :one, details = :details',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':details': { note: 'n', skipped: undefined } },
      ReturnValues: 'ALL_NEW',
    });
    // Assess
    expect(updated.Attributes).toEqual({ pk: 'update', sk: 'a', count: 2, details: { note: 'n' } });
  });

  it('pages a query with LastEvaluatedKey until every item is read', async () => {
    // Prepare
    const sks = ['01', '02', '03', '04', '05'];
    for (const sk of sks) await client.put({ TableName: tableName, Item: { pk: 'query', sk, value: Number(sk) } });
    // Act
    const { items, startKeys } = await allPages((startKey) =>
      client.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'query' },
        Limit: 2,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    // Assess
    expect(items).toEqual(sks.map((sk) => ({ pk: 'query', sk, value: Number(sk) })));
    expect(startKeys).toEqual([undefined, { pk: 'query', sk: '02' }, { pk: 'query', sk: '04' }]);
  });

  it('pages a filtered scan with LastEvaluatedKey until every item is read', async () => {
    // Prepare
    for (const sk of ['1', '2', '3', '4']) await client.put({ TableName: tableName, Item: { pk: `scan-${sk}`, sk, kind: 'scanned' } });
    // Act
    const { items, startKeys } = await allPages((startKey) =>
      client.scan({
        TableName: tableName,
        FilterExpression: 'kind = :kind',
        ExpressionAttributeValues: { ':kind': 'scanned' },
        Limit: 3,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    // Assess
    expect(items.map((item) => item.pk).sort()).toEqual(['scan-1', 'scan-2', 'scan-3', 'scan-4']);
    expect(startKeys.length).toBeGreaterThan(1);
    expect(startKeys.slice(1)).toEqual(startKeys.slice(1).map(() => ({ pk: expect.any(String), sk: expect.any(String) })));
  });

  it('writes a Put, an Update and a ConditionCheck in one transaction', async () => {
    // Prepare
    await client.put({ TableName: tableName, Item: { pk: 'transact', sk: 'counter', count: 1 } });
    await client.put({ TableName: tableName, Item: { pk: 'transact', sk: 'guard', open: true } });
    // Act
    await client.transactWrite({
      TransactItems: [
        { Put: { TableName: tableName, Item: { pk: 'transact', sk: 'new', payload: new Uint8Array([9, 8]), skipped: undefined } } },
        {
          Update: {
            TableName: tableName,
            Key: { pk: 'transact', sk: 'counter' },
            UpdateExpression: 'SET #count = #count + :one',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        { ConditionCheck: { TableName: tableName, Key: { pk: 'transact', sk: 'guard' }, ConditionExpression: '#open = :yes', ExpressionAttributeNames: { '#open': 'open' }, ExpressionAttributeValues: { ':yes': true } } },
      ],
    });
    // Assess
    const { items } = await allPages((startKey) =>
      client.query({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'transact' }, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    expect(items).toEqual([
      { pk: 'transact', sk: 'counter', count: 2 },
      { pk: 'transact', sk: 'guard', open: true },
      { pk: 'transact', sk: 'new', payload: new Uint8Array([9, 8]) },
    ]);
  });

  it('cancels a transaction whose ConditionCheck fails, with the reasons in the error and nothing written', async () => {
    // Prepare
    await client.put({ TableName: tableName, Item: { pk: 'cancel', sk: 'guard', open: false } });
    // Act
    const error = await captureError(() =>
      client.transactWrite({
        TransactItems: [
          { Put: { TableName: tableName, Item: { pk: 'cancel', sk: 'new' } } },
          { ConditionCheck: { TableName: tableName, Key: { pk: 'cancel', sk: 'guard' }, ConditionExpression: '#open = :yes', ExpressionAttributeNames: { '#open': 'open' }, ExpressionAttributeValues: { ':yes': true } } },
        ],
      }),
    );
    // Assess
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).name).toBe('TransactionCanceledException');
    expect(((error as AwsServiceError).body.CancellationReasons as Array<{ Code: string }>).map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(await client.get({ TableName: tableName, Key: { pk: 'cancel', sk: 'new' }, ConsistentRead: true })).toEqual({});
  });

  it('exposes the item a failed condition met, marshalled, in the error body', async () => {
    // Prepare
    const stored = { pk: 'conditional', sk: 'a', status: 'processed', attempts: 1, outcome: { kind: 'done' } };
    await client.put({ TableName: tableName, Item: stored });
    // Act
    const error = await captureError(() =>
      client.put({
        TableName: tableName,
        Item: { pk: 'conditional', sk: 'a', status: 'processing' },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    // Assess
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).name).toBe('ConditionalCheckFailedException');
    expect((error as AwsServiceError).statusCode).toBe(400);
    expect(unmarshall((error as AwsServiceError).body.Item as Record<string, AttributeValue>)).toEqual(stored);
    const unchanged = await client.get({ TableName: tableName, Key: { pk: 'conditional', sk: 'a' }, ConsistentRead: true });
    expect(unchanged.Item).toEqual(stored);
  });
});
