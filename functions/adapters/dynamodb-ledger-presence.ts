import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerError } from '../core/errors';
import { ledgerCall } from './dynamodb-errors';
import type { LedgerPresence } from '../core/reconcile';

/** BatchGetItem's largest request. */
const BATCH_KEYS = 100;
const MAX_ROUNDS = 8;

/**
 * Which event ids the ledger has, in `BatchGetItem` requests of up to 100 keys, eventually consistent and
 * projected to the key and expiry (a record past its retention counts as absent). Unprocessed keys (throttling)
 * are retried with backoff; a batch that never completes fails the check rather than call events missing.
 */
export const createDynamoDbLedgerPresence = (options: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The ledger's partition key. @default 'eventId' */
  readonly keyName?: string;
  readonly sleep?: (ms: number) => Promise<void>;
}): LedgerPresence => {
  const keyName = options.keyName ?? 'eventId';
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const batch = async (eventIds: readonly string[], nowSec: number, found: Set<string>): Promise<void> => {
    let keys: Array<Record<string, unknown>> = eventIds.map((eventId) => ({ [keyName]: eventId }));
    for (let round = 0; keys.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new LedgerError({ detail: `presence check: ${keys.length} key(s) still unprocessed after ${MAX_ROUNDS} rounds` });
      if (round > 0) await sleep(50 * 2 ** round * Math.random());
      const request = { [options.tableName]: { Keys: keys, ProjectionExpression: '#key, expiresAt', ExpressionAttributeNames: { '#key': keyName } } };
      const result = await ledgerCall('presence check', () => options.client.send(new BatchGetCommand({ RequestItems: request, ReturnConsumedCapacity: 'TOTAL' })));
      for (const item of result.Responses?.[options.tableName] ?? []) {
        if (typeof item.expiresAt !== 'number' || item.expiresAt > nowSec) found.add(String(item[keyName]));
      }
      keys = (result.UnprocessedKeys?.[options.tableName]?.Keys as Array<Record<string, unknown>> | undefined) ?? [];
    }
  };
  return {
    async present({ eventIds, nowMs }) {
      const found = new Set<string>();
      const unique = [...new Set(eventIds)];
      for (let start = 0; start < unique.length; start += BATCH_KEYS) await batch(unique.slice(start, start + BATCH_KEYS), Math.floor(nowMs / 1000), found);
      return found;
    },
  };
};
