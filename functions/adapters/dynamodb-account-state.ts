import type { AccountStateReader } from '../core/ports';
import { authorizationVersionsOf } from '../core/state/authorization';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ledgerCall } from './dynamodb-errors';
import { STATE_KEY } from './dynamodb-state-commit';

type Item = Record<string, unknown>;

/** Every page of a Query or Scan. */
const allPages = async (fetch: (startKey: Item | undefined) => Promise<{ readonly Items?: Item[]; readonly LastEvaluatedKey?: Item }>): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await fetch(startKey);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};

/** Reads of the Connect state table on DynamoDB. */
export const createDynamoDbAccountState = (options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }): AccountStateReader => {
  const { client, tableName } = options;
  return {
    partition: (partition) =>
      ledgerCall('state query', () =>
        allPages((startKey) =>
          client.send(
            new QueryCommand({ TableName: tableName, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': STATE_KEY.partition }, ExpressionAttributeValues: { ':pk': partition }, ExclusiveStartKey: startKey }),
          ),
        ),
      ),
    async authorizationOf({ partition, item }) {
      const result = await ledgerCall('state get', () => client.send(new GetCommand({ TableName: tableName, Key: { [STATE_KEY.partition]: partition, [STATE_KEY.item]: item }, ConsistentRead: true })));
      return authorizationVersionsOf(result.Item);
    },
    // A Scan of every record (a filter would not lower its cost: DynamoDB bills what it reads): fine for an
    // operator's listing, so an account and mode with only a balance or payments are listed too. A platform with
    // many thousands of accounts would add an index.
    profiles: () => ledgerCall('state scan', () => allPages((startKey) => client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey })))),
  };
};
