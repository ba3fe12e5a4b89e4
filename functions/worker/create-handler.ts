import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describeError } from '../core/errors';
import { defaultRegistry } from '../core/handlers';
import type { HandlerRegistry } from '../core/handler-registry';
import type { Logger } from '../core/ports';
import { RecordOutcome, createEventProcessor } from '../core/process-event';
import type { WorkerDependencies } from '../core/process-event';
import { createDocumentClient } from '../adapters/aws-clients';
import { ledgerPolicyFromEnv, requireEnv } from '../adapters/config';
import { createDynamoDbEventLedger } from '../adapters/dynamodb-event-ledger';

/** The worker's adapters, from the process environment (`LEDGER_TABLE_NAME`, ledger timings). */
export const workerDependenciesFromEnv = (options: {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** @default the registry of `functions/core/handlers` */
  readonly registry?: HandlerRegistry;
}): WorkerDependencies => ({
  ledger: createDynamoDbEventLedger({
    client: createDocumentClient(),
    tableName: requireEnv(options.env, 'LEDGER_TABLE_NAME'),
    policy: ledgerPolicyFromEnv(options.env),
  }),
  registry: options.registry ?? defaultRegistry,
  clock: Date.now,
  logger: options.logger,
});

/**
 * An SQS handler reporting partial batch failures: records run side by side, and only those that must be
 * retried (a failed handler, an event in flight elsewhere, a body that is no event, an unreachable ledger)
 * are returned in `batchItemFailures`.
 */
export const createWorkerHandler = (deps: WorkerDependencies) => {
  const processRecord = createEventProcessor(deps);
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const results = await Promise.all(
      event.Records.map(async (record) => {
        try {
          const outcome = await processRecord({
            messageId: record.messageId,
            body: record.body,
            receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
          });
          return { messageId: record.messageId, retry: outcome === RecordOutcome.retry };
        } catch (error) {
          deps.logger.error('record failed', { messageId: record.messageId, reason: describeError(error) });
          return { messageId: record.messageId, retry: true };
        }
      }),
    );
    return { batchItemFailures: results.filter((result) => result.retry).map(({ messageId }) => ({ itemIdentifier: messageId })) };
  };
};
