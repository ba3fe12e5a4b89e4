import type { LedgerRecord } from '../core/ledger-record';
import type { LedgerQuery } from '../core/ports';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ledgerCall } from './dynamodb-errors';
import { toLedgerRecord } from './ledger-payload';

// Every record attribute but the payload: listing and replay selection never need the (large) payloads.
const RECORD_ATTRIBUTES = [
  'eventId', 'status', 'eventType', 'account', 'livemode', 'created', 'firstReceivedAt', 'updatedAt', 'attempts', 'lastError', 'processedAt',
  'ignoredReason', 'outcome', 'stale', 'leaseToken', 'leaseExpiresAt', 'expiresAt', 'payloadStored', 'payloadBytes', 'replays', 'lastReplayId', 'lastReplayedAt',
] as const;

/** The Scan filter of a ledger query: unexpired records matching every field set. */
export const ledgerScanFilter = (query: Omit<LedgerQuery, 'limit'> & { readonly nowMs: number }) => {
  const filters: string[] = ['expiresAt > :nowSec'];
  const values: Record<string, unknown> = { ':nowSec': Math.floor(query.nowMs / 1000) };
  const names: Record<string, string> = {};
  const add = (attribute: string, value: unknown) => {
    if (value === undefined) return;
    filters.push(`#${attribute} = :${attribute}`);
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
  };
  add('status', query.status);
  add('eventType', query.eventType);
  add('account', query.account);
  if (query.createdSince !== undefined) {
    filters.push('created >= :since');
    values[':since'] = query.createdSince;
  }
  if (query.createdUntil !== undefined) {
    filters.push('created < :until');
    values[':until'] = query.createdUntil;
  }
  return { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};

/** The projection of every record attribute but the payload, with its names. */
export const ledgerRecordProjection = {
  ProjectionExpression: RECORD_ATTRIBUTES.map((name) => `#p_${name}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(RECORD_ATTRIBUTES.map((name) => [`#p_${name}`, name])),
} as const;

/**
 * Lists records by scanning with a filter, newest first. Fine for the CLI's look-ups on a ledger of weeks;
 * reading every page is what makes the order exact. Replays read ranges page by page instead
 * (`dynamodb-ledger-range.ts`).
 */
export const scanLedger = async (options: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly query: LedgerQuery & { readonly nowMs: number };
}): Promise<readonly LedgerRecord[]> => {
  const filter = ledgerScanFilter(options.query);
  const records: LedgerRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ledgerCall('scan', () =>
      options.client.send(
        new ScanCommand({
          TableName: options.tableName,
          FilterExpression: filter.FilterExpression,
          ProjectionExpression: ledgerRecordProjection.ProjectionExpression,
          ExpressionAttributeValues: filter.ExpressionAttributeValues,
          ExpressionAttributeNames: { ...filter.ExpressionAttributeNames, ...ledgerRecordProjection.ExpressionAttributeNames },
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    records.push(...(page.Items ?? []).map(toLedgerRecord));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return records.sort((a, b) => b.firstReceivedAt.localeCompare(a.firstReceivedAt)).slice(0, options.query.limit);
};
