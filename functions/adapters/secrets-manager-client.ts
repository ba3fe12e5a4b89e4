import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { regionOf } from './aws-client-options';
import type { AwsClientOptions } from './aws-client-options';

/** A Secrets Manager client; `AWS_ENDPOINT_URL_SECRETS_MANAGER` points it elsewhere, e.g. a fake in tests. */
export const createSecretsManagerClient = (options: AwsClientOptions = {}): SecretsManagerClient =>
  new SecretsManagerClient({ maxAttempts: 3, ...regionOf(options) });
