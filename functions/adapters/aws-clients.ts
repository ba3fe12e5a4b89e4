import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Overrides of the standard settings; the CLI's `--region`. Unset fields fall back to the SDK's own chain. */
export interface AwsClientOptions {
  readonly region?: string;
}

const regionOf = (options: AwsClientOptions): { region?: string } => (options.region === undefined ? {} : { region: options.region });

/**
 * SDK clients built from the standard AWS settings only (region, credentials, `AWS_ENDPOINT_URL` and its
 * per-service variants), so the same code reaches AWS or the local emulators with no branch of its own.
 */
export const createSqsClient = (): SQSClient =>
  // The endpoint comes from configuration, not from the queue URL: emulators name hosts that need not resolve.
  new SQSClient({ useQueueUrlAsEndpoint: false, maxAttempts: 3 });

/** A DynamoDB document client that drops undefined attributes instead of failing on them. */
export const createDocumentClient = (options: AwsClientOptions = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, ...regionOf(options) }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** A Secrets Manager client; `AWS_ENDPOINT_URL_SECRETS_MANAGER` points it elsewhere, e.g. a fake in tests. */
export const createSecretsManagerClient = (options: AwsClientOptions = {}): SecretsManagerClient =>
  new SecretsManagerClient({ maxAttempts: 3, ...regionOf(options) });
