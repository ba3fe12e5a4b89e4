import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbAccountState } from '../../functions/adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import type { LedgerPolicy } from '../../functions/core/ledger-record';
import type { AccountStateReader, Clock, Logger } from '../../functions/core/ports';
import { RecordOutcome, createEventProcessor } from '../../functions/core/process-event';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The worker use case with the real DynamoDB adapters and the built-in projections, on the given tables. */
export const createRealWorker = (options: {
  readonly ledgerTable: string;
  readonly stateTable: string;
  readonly client?: DynamoDBDocumentClient;
  readonly clock?: Clock;
  readonly policy?: LedgerPolicy;
  /** @default a logger that writes nothing */
  readonly logger?: Logger;
}) => {
  const client = options.client ?? createDocumentClient();
  const state: AccountStateReader = createDynamoDbAccountState({ client, tableName: options.stateTable });
  const process = createEventProcessor({
    ledger: createDynamoDbEventLedger({ client, tableName: options.ledgerTable, stateTableName: options.stateTable, ...(options.policy ? { policy: options.policy } : {}) }),
    state,
    registry: createHandlerRegistry({ projections: connectProjections }),
    acceptedModes: 'both',
    stripeFor: () => {
      throw new Error('the built-in projections never call Stripe');
    },
    clock: options.clock ?? Date.now,
    logger: options.logger ?? silent,
  });
  let messages = 0;
  return {
    state,
    /** Delivers one body as a queue message would. */
    deliver: (body: string) => process({ messageId: `m${(messages += 1)}`, body, receiveCount: 1 }),
  };
};

/**
 * Delivers bodies like a queue: in batches processed side by side, redelivering every message whose
 * outcome was `retry` (an in-flight duplicate, a failed run) at the back of the queue until none is left.
 */
export const deliverLikeAQueue = async (options: {
  readonly deliver: (body: string) => Promise<RecordOutcome>;
  readonly bodies: readonly string[];
  readonly batchSizes: readonly number[];
}): Promise<void> => {
  const queue = [...options.bodies];
  for (let round = 0; queue.length > 0; round += 1) {
    if (round > 10_000) throw new Error('deliveries never settled');
    const batch = queue.splice(0, options.batchSizes[round % options.batchSizes.length] ?? 1);
    const outcomes = await Promise.all(batch.map((body) => options.deliver(body).catch(() => RecordOutcome.retry)));
    outcomes.forEach((outcome, index) => {
      if (outcome === RecordOutcome.retry) queue.push(batch[index] as string);
    });
  }
};
