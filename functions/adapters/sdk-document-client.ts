import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * An AWS SDK v3 DynamoDB document client from the standard settings (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`,
 * the credential chain), dropping undefined attributes. `config` adds a region or credentials (the CLI's).
 */
export const createSdkDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, ...config }), { marshallOptions: { removeUndefinedValues: true } });
