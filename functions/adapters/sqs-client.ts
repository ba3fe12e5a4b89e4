import { createAwsJsonClient } from './aws-json-client';
import type { AwsJsonClient } from './aws-json-client';
import { awsOverridesOf } from './aws-client-options';
import type { AwsClientOptions } from './aws-client-options';
import { AWS_JSON_SERVICES } from './aws-service-settings';

/**
 * The SQS client the Lambdas send with: the small signed JSON client, from the standard AWS settings (region,
 * credentials, `AWS_ENDPOINT_URL_SQS`), so the same code reaches AWS or the local emulator. The JSON protocol
 * posts to the service endpoint, never to the queue URL's host, which emulators name without resolving it.
 */
export const createSqsClient = (options: AwsClientOptions = {}): AwsJsonClient => createAwsJsonClient({ service: AWS_JSON_SERVICES.sqs, maxAttempts: 3, ...awsOverridesOf(options) });
