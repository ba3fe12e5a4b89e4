import { randomUUID } from 'node:crypto';
import { LedgerError, describeError } from '../core/errors';
import { DEFAULT_LEDGER_POLICY, LedgerStatus, expiryFor, isExpired, isTakeoverAllowed, newLedgerRecord } from '../core/ledger-record';
import type { LedgerPolicy, LedgerRecord } from '../core/ledger-record';
import type { ClaimResult, EventLedger, IgnoreResult, LedgerEventFacts, ReplayMark } from '../core/ports';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsErrorNamed, itemOfFailedCondition } from './dynamodb-errors';
import { scanLedger } from './dynamodb-ledger-scan';
import { packPayload, toLedgerRecord, unpackPayload } from './ledger-payload';
import { commitEvent } from './dynamodb-state-commit';

/** The ledger table's partition key. */
export const LEDGER_KEY = 'eventId';

const iso = (ms: number): string => new Date(ms).toISOString();

// A record is "absent" when missing or past its retention, even before DynamoDB's TTL sweeper deletes it.
const ABSENT = 'attribute_not_exists(eventId) OR expiresAt <= :nowSec';

/** Runs a DynamoDB call, turning a failed condition into `undefined` plus the old item, other faults into LedgerError. */
const conditional = async <T>(options: {
  readonly run: () => Promise<T>;
  readonly action: string;
  readonly eventId?: string;
}): Promise<{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly old?: LedgerRecord }> => {
  try {
    return { ok: true, value: await options.run() };
  } catch (cause) {
    if (awsErrorNamed(cause, 'ConditionalCheckFailedException')) {
      const item = itemOfFailedCondition(cause);
      return { ok: false, ...(item === undefined ? {} : { old: toLedgerRecord(item) }) };
    }
    throw new LedgerError({ detail: `${options.action}: ${describeError(cause)}`, context: { eventId: options.eventId }, cause });
  }
};

/**
 * The event ledger on DynamoDB. Every state change is one conditional write, and completion is one
 * transaction with the event's state writes; a failed condition returns the item it met
 * (`ReturnValuesOnConditionCheckFailure`), so a duplicate costs a single request.
 */
export const createDynamoDbEventLedger = (options: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The Connect state table, written in the same transaction that marks an event processed. */
  readonly stateTableName: string;
  /** @default DEFAULT_LEDGER_POLICY */
  readonly policy?: LedgerPolicy;
}): EventLedger => {
  const { client, tableName } = options;
  const policy = options.policy ?? DEFAULT_LEDGER_POLICY;

  const newRecord = (facts: LedgerEventFacts, nowMs: number, fields: Partial<LedgerRecord>): LedgerRecord =>
    newLedgerRecord({ facts, nowMs, policy, fields });

  /** Writes `record` where the event is absent; otherwise reports the record found. */
  const putIfAbsent = async (record: LedgerRecord, nowMs: number) =>
    conditional({
      action: 'put',
      eventId: record.eventId,
      run: () =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: record,
            ConditionExpression: ABSENT,
            ExpressionAttributeValues: { ':nowSec': Math.floor(nowMs / 1000) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
    });

  /**
   * Moves a failed or lease-expired record to a new state. `attempts` grows with every claim, so together with
   * the status it is a version: a concurrent taker makes this write fail instead of doubling the run.
   */
  const takeOver = async (old: LedgerRecord, nowMs: number, set: Record<string, unknown>, incrementAttempts: boolean) => {
    const names = Object.keys(set);
    const assignments = names.map((name) => `#${name} = :${name}`);
    if (incrementAttempts) assignments.push('attempts = attempts + :one');
    // A claim assigns a new lease; any other transition drops the stale one.
    const remove = 'leaseToken' in set ? '' : ' REMOVE leaseToken, leaseExpiresAt';
    return conditional({
      action: 'take over',
      eventId: old.eventId,
      run: async () =>
        (
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { [LEDGER_KEY]: old.eventId },
              UpdateExpression: `SET ${assignments.join(', ')}${remove}`,
              ConditionExpression: '#st = :oldStatus AND attempts = :oldAttempts AND expiresAt > :nowSec',
              ExpressionAttributeNames: { '#st': 'status', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
              ExpressionAttributeValues: {
                ...Object.fromEntries(names.map((name) => [`:${name}`, set[name]])),
                ':oldStatus': old.status,
                ':oldAttempts': old.attempts,
                ':nowSec': Math.floor(nowMs / 1000),
                ...(incrementAttempts ? { ':one': 1 } : {}),
              },
              ReturnValues: 'ALL_NEW',
            }),
          )
        ).Attributes as unknown as LedgerRecord,
    });
  };

  const classify = (old: LedgerRecord | undefined, nowMs: number): Exclude<ClaimResult, { kind: 'claimed' }> => {
    if (old === undefined) throw new LedgerError({ detail: 'conditional write failed without returning the item' });
    const live = old.status === LedgerStatus.processing && (old.leaseExpiresAt ?? 0) > nowMs;
    return live ? { kind: 'in-flight', record: old } : { kind: 'duplicate', record: old };
  };

  /** What a forced replay adds to the record it takes over. */
  const replayFields = (old: LedgerRecord, replay: ReplayMark | undefined, nowMs: number) =>
    replay?.force === true ? { replays: (old.replays ?? 0) + 1, lastReplayId: replay.id, lastReplayedAt: iso(nowMs) } : {};

  return {
    async claim({ facts, nowMs, payload, replay }) {
      const leaseToken = randomUUID();
      const lease = { leaseToken, leaseExpiresAt: nowMs + policy.leaseMs };
      const record = newRecord(facts, nowMs, { attempts: 1, ...lease });
      const put = await putIfAbsent({ ...record, ...packPayload(payload) } as LedgerRecord, nowMs);
      if (put.ok) return { kind: 'claimed', record, leaseToken };
      // The SDK retried a claim whose reply was lost, and the condition met the item that first attempt wrote.
      if (put.old?.leaseToken === leaseToken) return { kind: 'claimed', record, leaseToken };
      if (put.old === undefined || !isTakeoverAllowed(put.old, nowMs, { force: replay?.force, replayId: replay?.id })) return classify(put.old, nowMs);
      const set = { status: LedgerStatus.processing, updatedAt: iso(nowMs), expiresAt: expiryFor({ nowMs, policy }), ...lease, ...replayFields(put.old, replay, nowMs) };
      const taken = await takeOver(put.old, nowMs, set, true);
      // Lost the race to another taker: that worker now holds a live lease.
      return taken.ok ? { kind: 'claimed', record: taken.value, leaseToken } : { kind: 'in-flight', record: taken.old ?? put.old };
    },

    async ignore({ facts, reason, nowMs, payload, replay }): Promise<IgnoreResult> {
      const fresh = newRecord(facts, nowMs, { status: LedgerStatus.ignored, ignoredReason: reason });
      const put = await putIfAbsent({ ...fresh, ...packPayload(payload) } as LedgerRecord, nowMs);
      if (put.ok) return { kind: 'recorded' };
      if (put.old === undefined || !isTakeoverAllowed(put.old, nowMs, { force: replay?.force, replayId: replay?.id })) return classify(put.old, nowMs);
      const set = { status: LedgerStatus.ignored, ignoredReason: reason, updatedAt: iso(nowMs), ...replayFields(put.old, replay, nowMs) };
      const taken = await takeOver(put.old, nowMs, set, false);
      return taken.ok ? { kind: 'recorded' } : classify(taken.old, nowMs);
    },

    complete: async ({ eventId, leaseToken, outcome, writes, guards, nowMs }) =>
      commitEvent({
        client,
        ledgerTable: tableName,
        stateTable: options.stateTableName,
        eventId,
        leaseToken,
        processed: { processedAt: iso(nowMs), updatedAt: iso(nowMs), outcome, expiresAt: expiryFor({ nowMs, policy }) },
        writes,
        guards: guards ?? [],
      }),

    fail: async ({ eventId, leaseToken, error, nowMs }) =>
      finish({ eventId, leaseToken, nowMs, set: { status: LedgerStatus.failed, lastError: error.slice(0, 1000) } }),

    async get({ eventId, nowMs }) {
      const item = await getItem(eventId, nowMs);
      return item === undefined ? undefined : toLedgerRecord(item);
    },

    payloadOf: async ({ eventId, nowMs }) => unpackPayload(await getItem(eventId, nowMs)),

    list: async (query) => scanLedger({ client, tableName, query }),
  };

  async function getItem(eventId: string, nowMs: number): Promise<Record<string, unknown> | undefined> {
    const result = await conditional({
      action: 'get',
      eventId,
      run: () => client.send(new GetCommand({ TableName: tableName, Key: { [LEDGER_KEY]: eventId }, ConsistentRead: true })),
    });
    const item = result.ok ? result.value.Item : undefined;
    return item === undefined || isExpired(item as unknown as LedgerRecord, nowMs) ? undefined : item;
  }

  async function finish(options: { eventId: string; leaseToken: string; nowMs: number; set: Record<string, unknown> }): Promise<boolean> {
    const set = { ...options.set, updatedAt: iso(options.nowMs) };
    const names = Object.keys(set);
    const result = await conditional({
      action: 'finish',
      eventId: options.eventId,
      run: () =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { [LEDGER_KEY]: options.eventId },
            UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')} REMOVE leaseToken, leaseExpiresAt`,
            ConditionExpression: 'leaseToken = :token',
            ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
            ExpressionAttributeValues: { ...Object.fromEntries(names.map((name) => [`:${name}`, set[name as keyof typeof set]])), ':token': options.leaseToken },
          }),
        ),
    });
    return result.ok;
  }
};
