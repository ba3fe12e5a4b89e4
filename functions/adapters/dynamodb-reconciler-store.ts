import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerError, describeError } from '../core/errors';
import type { ReconcileCursors, ReconcileLease, SourceCursor } from '../core/reconcile';
import { RECONCILER_PARTITION } from '../core/state/account-keys';
import { awsErrorNamed, itemOfFailedCondition, ledgerCall } from './dynamodb-errors';
import { STATE_KEY } from './dynamodb-state-commit';

/** Sort keys of the reconciler's own items, all in the RECONCILER partition of the state table. */
export const ReconcilerItem = {
  lease: 'LEASE',
  cursor: (source: string, scope: string) => `CURSOR#${source}#${scope}`,
} as const;

const keyOf = (item: string) => ({ [STATE_KEY.partition]: RECONCILER_PARTITION, [STATE_KEY.item]: item });

const isConditionFailure = (error: unknown) => awsErrorNamed(error, 'ConditionalCheckFailedException');

/** The reconciler's cursors, one item per (source, scope), written after every page it reads. */
export const createDynamoDbReconcileCursors = (options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }): ReconcileCursors => ({
  async get({ source, scope }) {
    const result = await ledgerCall('reconciler cursor get', () => options.client.send(new GetCommand({ TableName: options.tableName, Key: keyOf(ReconcilerItem.cursor(source, scope)), ConsistentRead: true })));
    const item = result.Item;
    if (item === undefined || typeof item.since !== 'number') return undefined;
    const pass = item.pass as SourceCursor['pass'] | undefined;
    return { since: item.since, ...(pass === undefined ? {} : { pass }) };
  },
  async set({ source, scope }, cursor) {
    const item = { ...keyOf(ReconcilerItem.cursor(source, scope)), since: cursor.since, ...(cursor.pass === undefined ? {} : { pass: cursor.pass }), updatedAt: new Date().toISOString() };
    await ledgerCall('reconciler cursor set', () => options.client.send(new PutCommand({ TableName: options.tableName, Item: item })));
  },
});

/**
 * The single-run lease: one item, taken with a conditional write that succeeds only when no other holder's lease
 * is still valid, so two invocations never reconcile at once (without reserving Lambda concurrency). Released with
 * the scope the next run starts at; a run that dies leaves a lease that expires after its TTL.
 */
export const createDynamoDbReconcileLease = (options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }): ReconcileLease => ({
  async acquire({ holder, nowMs, ttlMs }) {
    try {
      const result = await options.client.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: keyOf(ReconcilerItem.lease),
          UpdateExpression: 'SET holder = :holder, expiresAtMs = :expires, acquiredAt = :now',
          ConditionExpression: 'attribute_not_exists(holder) OR expiresAtMs <= :nowMs',
          ExpressionAttributeValues: { ':holder': holder, ':expires': nowMs + ttlMs, ':nowMs': nowMs, ':now': new Date(nowMs).toISOString() },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const resumeAt = result.Attributes?.resumeAt;
      return { acquired: true, ...(typeof resumeAt === 'string' ? { resumeAt } : {}) };
    } catch (error) {
      if (!isConditionFailure(error)) throw new LedgerError({ detail: `reconciler lease acquire: ${describeError(error)}`, cause: error });
      const held = itemOfFailedCondition(error)?.expiresAtMs;
      return { acquired: false, heldUntilMs: typeof held === 'number' ? held : nowMs };
    }
  },
  async release({ holder, resumeAt }) {
    try {
      await options.client.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: keyOf(ReconcilerItem.lease),
          UpdateExpression: `${resumeAt === undefined ? 'REMOVE resumeAt, ' : 'SET resumeAt = :resumeAt REMOVE '}holder, expiresAtMs`,
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder, ...(resumeAt === undefined ? {} : { ':resumeAt': resumeAt }) },
        }),
      );
    } catch (error) {
      // Lost to a newer run (ours outlived its TTL): that run owns the position now.
      if (!isConditionFailure(error)) throw new LedgerError({ detail: `reconciler lease release: ${describeError(error)}`, cause: error });
    }
  },
});
