import { createAwsJsonClient } from './aws-json-client';
import type { AwsJsonClient } from './aws-json-client';
import { awsOverridesOf } from './aws-client-options';
import type { AwsClientOptions } from './aws-client-options';
import { AWS_JSON_SERVICES } from './aws-service-settings';

/** What GetSecretValue answers, in the fields the project reads. */
export interface SecretValue {
  readonly SecretString?: string;
  /** Base64 in the JSON protocol. */
  readonly SecretBinary?: string;
}

/**
 * A Secrets Manager client (the small signed JSON client); `AWS_ENDPOINT_URL_SECRETS_MANAGER` points it
 * elsewhere, e.g. a fake in tests.
 */
export const createSecretsManagerClient = (options: AwsClientOptions = {}): AwsJsonClient =>
  createAwsJsonClient({ service: AWS_JSON_SERVICES.secretsManager, maxAttempts: 3, ...awsOverridesOf(options) });

/** The secret's current value; failures are the client's `AwsServiceError`s, named by Secrets Manager's error type. */
export const getSecretValue = (options: { readonly client: AwsJsonClient; readonly secretId: string }): Promise<SecretValue> =>
  options.client.call<SecretValue>('GetSecretValue', { SecretId: options.secretId });
