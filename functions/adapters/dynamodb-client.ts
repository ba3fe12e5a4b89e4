import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { regionOf } from './aws-client-options';
import type { AwsClientOptions } from './aws-client-options';

/** A DynamoDB document client from the standard AWS settings, dropping undefined attributes instead of failing on them. */
export const createDocumentClient = (options: AwsClientOptions = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, ...regionOf(options) }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
