import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from './aws-clients';
import type { AwsClientOptions } from './aws-clients';

// Not in aws-clients.ts: @aws-sdk/lib-dynamodb is not marked free of side effects, so importing it there would
// bundle DynamoDB's client into every function, the ingest included.
/**
 * A DynamoDB document client that drops undefined attributes instead of failing on them and refuses class
 * instances. `client` wraps a given DynamoDB client (tests add middleware to inject faults or count requests).
 */
export const createDocumentClient = (options: AwsClientOptions & { readonly client?: DynamoDBClient } = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(options.client ?? createDynamoDbClient(options), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
