import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { QueueError, describeError } from '../core/errors';
import type { EventQueue, QueueMessageAttributes } from '../core/ports';

/** SQS's largest message: 1 MiB, body and attributes together. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** Converts the core attributes into SQS message attributes (account only when the event has one). */
export const toMessageAttributes = (attributes: QueueMessageAttributes): Record<string, MessageAttributeValue> => ({
  eventId: text(attributes.eventId),
  eventType: text(attributes.eventType),
  livemode: text(String(attributes.livemode)),
  route: text(attributes.route),
  ...(attributes.account === undefined ? {} : { account: text(attributes.account) }),
  ...(attributes.replayId === undefined ? {} : { replayId: text(attributes.replayId), replayForce: text(String(attributes.replayForce ?? false)) }),
});

/** The event queue on SQS (or any endpoint speaking its protocol). */
export const createSqsEventQueue = (options: {
  /** A client bound to SQS (`createSqsClient`). */
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** @default SQS_MAX_MESSAGE_BYTES */
  readonly maxMessageBytes?: number;
}): EventQueue => ({
  maxMessageBytes: options.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES,
  async send({ body, attributes }) {
    try {
      // The SDK checks the MD5 digests SQS returns of the body and attributes against what it sent.
      const result = await options.client.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: body, MessageAttributes: toMessageAttributes(attributes) }));
      if (result.MessageId === undefined) throw new Error('SendMessage returned no MessageId');
      return { messageId: result.MessageId };
    } catch (cause) {
      throw new QueueError({ detail: describeError(cause), context: { eventId: attributes.eventId }, cause });
    }
  },
});
