import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerError, describeError } from '../core/errors';
import type { ScopeDirectory, ScopeRecord } from '../core/reconcile';
import { scopeDirectoryPartitionOf } from '../core/state/account-keys';
import { authorizationVersionsOf } from '../core/state/authorization';
import { awsErrorNamed, ledgerCall } from './dynamodb-errors';
import { STATE_KEY } from './dynamodb-state-commit';

const DAY_SECONDS = 86_400;

/**
 * The reconciler's directory of connected accounts on the state table: one item per account in each mode's
 * `RECONCILE_SCOPES#<mode>` partition, its sort key the account id. The worker notes activity (`lastActiveAt`,
 * epoch seconds to the day) with one conditional update per account, mode and day, remembered per instance, so
 * a busy account costs one write a day, not one per event; the authorization projections write their versions
 * onto the same item. The reconciler reads it with one paged Query per mode, never the ledger.
 */
export const createDynamoDbScopeDirectory = (options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }): ScopeDirectory => {
  const noted = new Map<string, number>();
  return {
    async noteActive({ account, livemode, nowMs }) {
      const day = Math.floor(nowMs / 1000 / DAY_SECONDS) * DAY_SECONDS;
      const memo = `${account}#${livemode}`;
      if ((noted.get(memo) ?? -1) >= day) return;
      try {
        await options.client.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: { [STATE_KEY.partition]: scopeDirectoryPartitionOf(livemode), [STATE_KEY.item]: account },
            UpdateExpression: 'SET lastActiveAt = :day, account = :account, livemode = :livemode',
            ConditionExpression: 'attribute_not_exists(lastActiveAt) OR lastActiveAt < :day',
            ExpressionAttributeValues: { ':day': day, ':account': account, ':livemode': livemode },
          }),
        );
      } catch (error) {
        if (!awsErrorNamed(error, 'ConditionalCheckFailedException')) {
          throw new LedgerError({ detail: `scope directory note: ${describeError(error)}`, context: { account }, cause: error });
        }
      }
      noted.set(memo, day);
    },

    async activeSince({ since }) {
      const records: ScopeRecord[] = [];
      for (const livemode of [true, false]) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await ledgerCall('scope directory query', () =>
            options.client.send(
              new QueryCommand({
                TableName: options.tableName,
                KeyConditionExpression: '#pk = :pk',
                FilterExpression: 'lastActiveAt >= :since',
                ExpressionAttributeNames: { '#pk': STATE_KEY.partition },
                ExpressionAttributeValues: { ':pk': scopeDirectoryPartitionOf(livemode), ':since': Math.floor(since / DAY_SECONDS) * DAY_SECONDS },
                ExclusiveStartKey: startKey,
              }),
            ),
          );
          for (const item of page.Items ?? []) {
            records.push({ account: String(item[STATE_KEY.item]), livemode, lastActiveAt: Number(item.lastActiveAt), ...authorizationVersionsOf(item) });
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey !== undefined);
      }
      return records;
    },
  };
};
