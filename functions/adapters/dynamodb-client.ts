import { createAwsJsonClient } from './aws-json-client';
import type { AwsJsonClient } from './aws-json-client';
import { awsOverridesOf } from './aws-client-options';
import type { AwsClientOptions } from './aws-client-options';
import { AWS_JSON_SERVICES } from './aws-service-settings';
import { createDynamoDbDocumentClient } from './dynamodb-document-client';
import type { DynamoDbDocumentClient } from './dynamodb-document-client';

/**
 * A DynamoDB document client from the standard AWS settings, dropping undefined attributes instead of failing on
 * them. It runs on the small signed JSON client, not the SDK, whose module initialisation dominated the worker's
 * and the reconciler's cold starts. `json` replaces the JSON client: tests wrap one to inject faults or count requests.
 */
export const createDocumentClient = (options: AwsClientOptions & { readonly json?: AwsJsonClient } = {}): DynamoDbDocumentClient =>
  createDynamoDbDocumentClient(options.json ?? createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, maxAttempts: 3, ...awsOverridesOf(options) }));
