import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import type { Message, MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { QueueError, describeError } from '../core/errors';

/** What a redrive did. */
export interface RedriveResult {
  /** Messages moved back, when moved by this process. */
  readonly moved?: number;
  /** SQS's move task, when SQS moves them itself. */
  readonly taskHandle?: string;
}

const attributesOf = (message: Message): Record<string, MessageAttributeValue> | undefined =>
  message.MessageAttributes === undefined ? undefined : Object.fromEntries(Object.entries(message.MessageAttributes).map(([name, value]) => [name, { DataType: value.DataType ?? 'String', StringValue: value.StringValue }]));

/**
 * Moves up to `max` messages from the DLQ back to the queue, body and attributes unchanged: receive, send,
 * then delete only what was sent, so a crash in between duplicates a message (the worker dedupes) and never
 * loses one. Works on any SQS endpoint, emulators included.
 */
export const moveDeadLetters = async (options: {
  readonly client: SQSClient;
  readonly deadLetterQueueUrl: string;
  readonly queueUrl: string;
  readonly max: number;
  readonly onProgress?: (moved: number) => void;
}): Promise<RedriveResult> => {
  let moved = 0;
  try {
    while (moved < options.max) {
      const batch = Math.min(10, options.max - moved);
      const received = await options.client.send(
        new ReceiveMessageCommand({ QueueUrl: options.deadLetterQueueUrl, MaxNumberOfMessages: batch, WaitTimeSeconds: 1, VisibilityTimeout: 60, MessageAttributeNames: ['All'] }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      const sent = await options.client.send(
        new SendMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: messages.map((message, index) => ({ Id: String(index), MessageBody: message.Body ?? '', MessageAttributes: attributesOf(message) })),
        }),
      );
      const done = (sent.Successful ?? []).map((entry) => messages[Number(entry.Id)]).filter((message): message is Message => message !== undefined);
      if (done.length > 0) {
        await options.client.send(
          new DeleteMessageBatchCommand({ QueueUrl: options.deadLetterQueueUrl, Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })) }),
        );
      }
      moved += done.length;
      options.onProgress?.(moved);
      if (done.length < messages.length) throw new Error(`${messages.length - done.length} message(s) could not be sent back; they stay in the DLQ`);
    }
    return { moved };
  } catch (cause) {
    throw new QueueError({ detail: `redrive stopped after ${moved} message(s): ${describeError(cause)}`, cause });
  }
};

/** Asks SQS to move every DLQ message back to its source queue (what the console's "Start DLQ redrive" does). */
export const startDeadLetterMoveTask = async (options: {
  readonly client: SQSClient;
  readonly deadLetterQueueArn: string;
  readonly queueArn: string;
}): Promise<RedriveResult> => {
  try {
    const result = await options.client.send(new StartMessageMoveTaskCommand({ SourceArn: options.deadLetterQueueArn, DestinationArn: options.queueArn }));
    return { ...(result.TaskHandle === undefined ? {} : { taskHandle: result.TaskHandle }) };
  } catch (cause) {
    throw new QueueError({ detail: `StartMessageMoveTask: ${describeError(cause)}`, cause });
  }
};
