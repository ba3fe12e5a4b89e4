import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { ledgerCall } from './dynamodb-errors';
import { rangeFilter } from '../core/replay';
import type { ReplayRange, ReplayRangeReader } from '../core/replay';
import { ledgerScanFilter } from './dynamodb-ledger-scan';
import { toLedgerRecord, unpackPayload } from './ledger-payload';

const filterOf = (range: ReplayRange & { readonly nowMs: number }) => {
  const filter = ledgerScanFilter({ ...rangeFilter(range), nowMs: range.nowMs });
  return { ...filter, ...(Object.keys(filter.ExpressionAttributeNames).length === 0 ? { ExpressionAttributeNames: undefined } : {}) };
};

/**
 * A replay range read from the ledger with a paged, filtered Scan (`pageItems` items evaluated per request, at
 * most 1 MB): the count with `Select: COUNT`, then the records with their payloads, one page in memory at a time.
 * The ledger has no index on `created` (an index keyed by time would take every write on one partition), so a
 * replay reads the whole table once to count and once to enqueue; it is an operator's action, never scheduled.
 */
export const createDynamoDbLedgerRangeReader = (options: { readonly client: DynamoDBDocumentClient; readonly tableName: string; readonly pageItems?: number }): ReplayRangeReader => {
  const scanPages = async function* (input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await ledgerCall('replay scan', () => options.client.send(new ScanCommand({ TableName: options.tableName, Limit: options.pageItems ?? 1000, ExclusiveStartKey: startKey, ...input })));
      yield page;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  };
  return {
    async count(range) {
      let total = 0;
      for await (const page of scanPages({ ...filterOf(range), Select: 'COUNT' })) total += page.Count ?? 0;
      return total;
    },
    async *pages(range) {
      for await (const page of scanPages(filterOf(range))) {
        const items = page.Items ?? [];
        if (items.length > 0) yield items.map((item) => ({ record: toLedgerRecord(item), payload: unpackPayload(item) })).sort((a, b) => a.record.created - b.record.created);
      }
    },
  };
};
