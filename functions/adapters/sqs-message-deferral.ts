import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { QueueError, describeError } from '../core/errors';
import type { MessageDeferral } from '../core/retry-backoff';

/** Settings of {@link createSqsMessageDeferral}. */
export interface SqsMessageDeferralOptions {
  /** An AWS SDK v3 SQS client; it honours `AWS_ENDPOINT_URL_SQS` like every other client. */
  readonly client: SQSClient;
  /** The queue the worker consumes (`QUEUE_URL`). */
  readonly queueUrl: string;
}

/** Defers a received message with `ChangeMessageVisibility`; a failure becomes a `QueueError`. */
export const createSqsMessageDeferral = (options: SqsMessageDeferralOptions): MessageDeferral => ({
  async defer({ receiptHandle, seconds }) {
    try {
      await options.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
    } catch (cause) {
      throw new QueueError({ detail: `could not defer the message: ${describeError(cause)}`, cause });
    }
  },
});
