import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK clients built from the standard AWS settings only (region, credentials, `AWS_ENDPOINT_URL` and its
 * per-service variants), so the same code reaches AWS or the local emulators with no branch of its own.
 */
export const createSqsClient = (): SQSClient =>
  // The endpoint comes from configuration, not from the queue URL: emulators name hosts that need not resolve.
  new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 3 });

/** A DynamoDB document client that drops undefined attributes instead of failing on them. */
export const createDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
