import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { LedgerError, describeError } from '../core/errors';
import { LedgerStatus } from '../core/ledger-record';
import type { CompleteResult } from '../core/ports';
import { versionAttribute } from '../core/state/state-write';
import type { DeauthorizationGuard, StateWrite } from '../core/state/state-write';
import { awsErrorNamed, cancellationReasonsOf } from './dynamodb-errors';

/** The state table's key attributes. */
export const STATE_KEY = { partition: 'pk', item: 'sk' } as const;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const names = (attributes: readonly string[]) => Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name]));

/** An update of one record's facet that only lands when the event is newer than the facet's version. */
export const stateUpdate = (tableName: string, write: StateWrite): TransactItem => {
  const set = Object.entries({ ...write.set, [versionAttribute(write.facet)]: write.version });
  const once = Object.entries(write.setOnce ?? {});
  const attributeNames = [...set, ...once].map(([name]) => name);
  const assignments = [
    ...set.map((_, index) => `#a${index} = :a${index}`),
    ...once.map((_, offset) => `#a${set.length + offset} = if_not_exists(#a${set.length + offset}, :a${set.length + offset})`),
  ];
  return {
    Update: {
      TableName: tableName,
      Key: { [STATE_KEY.partition]: write.partition, [STATE_KEY.item]: write.item },
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
      ExpressionAttributeNames: { ...names(attributeNames), '#version': versionAttribute(write.facet) },
      ExpressionAttributeValues: { ...Object.fromEntries([...set, ...once].map(([, value], index) => [`:a${index}`, value])), ':version': write.version },
    },
  };
};

const guardCheck = (tableName: string, guard: DeauthorizationGuard): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: { [STATE_KEY.partition]: guard.partition, [STATE_KEY.item]: guard.item },
    // isBlockedByDeauthorization, negated: never deauthorized, deauthorized after this event, or authorized again between the two.
    ConditionExpression: 'attribute_not_exists(#version) OR #version > :version OR (#authorized > #version AND #authorized < :version)',
    ExpressionAttributeNames: { '#version': guard.versionAttribute, '#authorized': guard.authorizationAttribute },
    ExpressionAttributeValues: { ':version': guard.version },
  },
});

/** The ledger's side of a commit: the record leaves `processing` only if this worker still holds the lease. */
const ledgerFinish = (options: { tableName: string; eventId: string; leaseToken: string; set: Record<string, unknown> }) => {
  const entries = Object.entries(options.set);
  return {
    TableName: options.tableName,
    Key: { eventId: options.eventId },
    UpdateExpression: `SET ${entries.map((_, index) => `#a${index} = :a${index}`).join(', ')} REMOVE leaseToken, leaseExpiresAt`,
    ConditionExpression: 'leaseToken = :token',
    ExpressionAttributeNames: names(entries.map(([name]) => name)),
    ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, value], index) => [`:a${index}`, value])), ':token': options.leaseToken },
  };
};

const MAX_ATTEMPTS = 6;
const failedAt = (reasons: readonly { Code?: string }[], from: number, count: number) =>
  reasons.slice(from, from + count).flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));

/**
 * Commits an event's state writes and its `processed` mark in one DynamoDB transaction. A cancelled
 * transaction says which condition failed: the lease (another worker took over), a guard (deauthorized:
 * the event is recorded `ignored` instead), or writes older than the state (dropped as stale, then retried
 * without them). Conflicts with concurrent transactions are retried with backoff.
 */
export const commitEvent = async (options: {
  readonly client: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly stateTable: string;
  readonly eventId: string;
  readonly leaseToken: string;
  readonly processed: Record<string, unknown>;
  readonly writes: readonly StateWrite[];
  readonly guards: readonly DeauthorizationGuard[];
}): Promise<CompleteResult> => {
  let pending = [...options.writes];
  let stale = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const ledgerSet = { ...options.processed, status: LedgerStatus.processed, stale: pending.length === 0 && stale > 0 };
    const items: TransactItem[] = [
      { Update: ledgerFinish({ tableName: options.ledgerTable, eventId: options.eventId, leaseToken: options.leaseToken, set: ledgerSet }) },
      ...options.guards.map((guard) => guardCheck(options.stateTable, guard)),
      ...pending.map((write) => stateUpdate(options.stateTable, write)),
    ];
    try {
      // The SDK gives the transaction a ClientRequestToken and keeps it across its retries: a commit whose reply was
      // lost is answered as a success on retry instead of failing the lease condition it already satisfied.
      await options.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: 'completed', applied: pending.length, stale };
    } catch (error) {
      if (!awsErrorNamed(error, 'TransactionCanceledException')) {
        throw new LedgerError({ detail: `commit: ${describeError(error)}`, context: { eventId: options.eventId }, cause: error });
      }
      const reasons = cancellationReasonsOf(error);
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'lease-lost' };
      if (failedAt(reasons, 1, options.guards.length).length > 0) return markDeauthorized(options);
      const staleIndexes = new Set(failedAt(reasons, 1 + options.guards.length, pending.length));
      if (staleIndexes.size > 0) {
        stale += staleIndexes.size;
        pending = pending.filter((_, index) => !staleIndexes.has(index));
        continue;
      }
      if (!reasons.some((reason) => reason.Code === 'TransactionConflict')) {
        throw new LedgerError({ detail: `commit cancelled: ${reasons.map((reason) => reason.Code).join(',')}`, context: { eventId: options.eventId }, cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
    }
  }
  throw new LedgerError({ detail: `commit did not settle in ${MAX_ATTEMPTS} attempts (stale writes dropped: ${stale}; the rest conflicted)`, context: { eventId: options.eventId } });
};

const DEAUTHORIZED_REASON = 'the connected account deauthorized the platform at or before this event';

const markDeauthorized = async (options: {
  readonly client: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly eventId: string;
  readonly leaseToken: string;
  readonly processed: Record<string, unknown>;
}): Promise<CompleteResult> => {
  const set = { status: LedgerStatus.ignored, ignoredReason: DEAUTHORIZED_REASON, updatedAt: options.processed.updatedAt };
  try {
    await options.client.send(new UpdateCommand(ledgerFinish({ tableName: options.ledgerTable, eventId: options.eventId, leaseToken: options.leaseToken, set })));
    return { kind: 'blocked', reason: DEAUTHORIZED_REASON };
  } catch (error) {
    if (awsErrorNamed(error, 'ConditionalCheckFailedException')) return { kind: 'lease-lost' };
    throw new LedgerError({ detail: `mark ignored: ${describeError(error)}`, context: { eventId: options.eventId }, cause: error });
  }
};
