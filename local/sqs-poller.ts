import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../functions/core/ports';

/** Settings of the local event source mapping; they mirror Lambda's. */
export interface PollerSettings {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  /** Long-poll wait per receive; short so that stopping is quick. */
  readonly waitTimeSeconds: number;
  /** Parallel receive loops, like the pollers of an event source mapping. */
  readonly concurrency: number;
}

/** Converts an SQS message to the record Lambda would pass. */
export const toSqsRecord = (message: Message, settings: Pick<PollerSettings, 'queueArn'>): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      { stringValue: value.StringValue, dataType: value.DataType ?? 'String', stringListValues: [], binaryListValues: [] },
    ]),
  ),
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: settings.queueArn,
  awsRegion: settings.queueArn.split(':')[3] ?? 'us-east-1',
});

/**
 * Behaves like Lambda's SQS event source mapping: receives batches, invokes the handler, deletes the records
 * it did not report in `batchItemFailures` and leaves the rest to reappear after the visibility timeout
 * (the queue's redrive policy moves them to the DLQ after maxReceiveCount). A handler that throws fails
 * the whole batch.
 */
export const startSqsPoller = (options: {
  readonly client: SQSClient;
  readonly settings: PollerSettings;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly logger: Logger;
}): { stop(): Promise<void> } => {
  const abort = new AbortController();
  const loops = Array.from({ length: options.settings.concurrency }, () => pollLoop({ ...options, signal: abort.signal }));
  return {
    async stop() {
      abort.abort();
      await Promise.all(loops);
    },
  };
};

const pollLoop = async (options: {
  readonly client: SQSClient;
  readonly settings: PollerSettings;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}): Promise<void> => {
  const { client, settings, signal } = options;
  while (!signal.aborted) {
    try {
      const received = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: settings.queueUrl,
          MaxNumberOfMessages: settings.batchSize,
          WaitTimeSeconds: settings.waitTimeSeconds,
          VisibilityTimeout: settings.visibilityTimeoutSeconds,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      const messages = received.Messages ?? [];
      if (messages.length > 0) await invoke({ ...options, messages });
    } catch (error) {
      if (signal.aborted) return;
      options.logger.warn('poller receive failed; retrying', { reason: String(error) });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
};

const invoke = async (options: {
  readonly client: SQSClient;
  readonly settings: PollerSettings;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly logger: Logger;
  readonly messages: readonly Message[];
}): Promise<void> => {
  const records = options.messages.map((message) => toSqsRecord(message, options.settings));
  let failed: Set<string>;
  try {
    const response = await options.handler({ Records: records });
    failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    options.logger.error('worker invocation failed; the whole batch will be retried', { reason: String(error), records: records.length });
    return;
  }
  const done = records.filter((record) => !failed.has(record.messageId));
  if (done.length === 0) return;
  await options.client.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.settings.queueUrl,
      Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
    }),
  );
};
