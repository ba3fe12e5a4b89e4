import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import type { LedgerRecord } from '../../functions/core/ledger-record';
import type { EventLedger } from '../../functions/core/ports';
import type { LocalPipeline } from '../../local/pipeline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ledger of a local pipeline, read through the same adapter as the worker. */
export const ledgerOf = (pipeline: LocalPipeline): EventLedger =>
  createDynamoDbEventLedger({ client: createDocumentClient(), tableName: pipeline.resources.ledgerTableName, stateTableName: pipeline.resources.stateTableName });

/** Polls the ledger until the event's record matches, or throws with the last record seen after `timeoutMs`. */
export const waitForLedgerRecord = async (options: {
  readonly ledger: EventLedger;
  readonly eventId: string;
  readonly predicate: (record: LedgerRecord) => boolean;
  /** @default 20_000 */
  readonly timeoutMs?: number;
}): Promise<LedgerRecord> => {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: LedgerRecord | undefined;
  while (Date.now() < deadline) {
    last = await options.ledger.get({ eventId: options.eventId, nowMs: Date.now() });
    if (last !== undefined && options.predicate(last)) return last;
    await sleep(100);
  }
  throw new Error(`ledger record of ${options.eventId} never matched; last seen ${JSON.stringify(last)}`);
};
