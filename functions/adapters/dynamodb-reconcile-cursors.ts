import { LedgerError, describeError } from '../core/errors';
import type { ReconcileCursors } from '../core/reconcile';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STATE_KEY } from './dynamodb-state-commit';

/** The state table partition holding the reconciler's cursors (no account partition starts with it). */
export const RECONCILER_PARTITION = 'RECONCILER';

/** Reconciler cursors as items of the state table: one per scope (`platform` or an account id). */
export const createDynamoDbReconcileCursors = (options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }): ReconcileCursors => {
  const key = (scope: string) => ({ [STATE_KEY.partition]: RECONCILER_PARTITION, [STATE_KEY.item]: `CURSOR#${scope}` });
  const guard = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new LedgerError({ detail: `reconciler cursor ${action}: ${describeError(cause)}`, cause });
    }
  };
  return {
    async get(scope) {
      const result = await guard('get', () => options.client.send(new GetCommand({ TableName: options.tableName, Key: key(scope), ConsistentRead: true })));
      const value = result.Item?.createdSince;
      return typeof value === 'number' ? value : undefined;
    },
    async set(scope, createdSince) {
      await guard('set', () => options.client.send(new PutCommand({ TableName: options.tableName, Item: { ...key(scope), createdSince, updatedAt: new Date().toISOString() } })));
    },
  };
};
