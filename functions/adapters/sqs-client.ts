import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * An SQS client from the standard AWS settings only (region, credentials, `AWS_ENDPOINT_URL_SQS`), so the
 * same code reaches AWS or the local emulator. One module per service keeps each Lambda bundle to the
 * clients it uses: their initialisation dominates cold starts.
 */
export const createSqsClient = (): SQSClient =>
  // The endpoint comes from configuration, not from the queue URL: emulators name hosts that need not resolve.
  new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 3 });
