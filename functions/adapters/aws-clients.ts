import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigurationError } from '../core/errors';

/**
 * How each AWS call is attempted. A stalled connection must be abandoned and retried well inside the calling
 * function's timeout (the ingest's is 10 s): 3 attempts of at most 2 s each, plus the SDK's jittered backoff, take
 * under 7 s. `requestTimeout` bounds a whole attempt, connecting included.
 */
export interface AwsCallPolicy {
  /** Attempts per call, the first included (the SDK's standard retry strategy). */
  readonly maxAttempts: number;
  /** Longest wait for a TCP (and TLS) connection, in ms. */
  readonly connectionTimeoutMs: number;
  /** Longest time one attempt may take, request sent to response read, in ms. */
  readonly requestTimeoutMs: number;
}

/** What the functions use, unless `AWS_CONNECTION_TIMEOUT_MS` / `AWS_REQUEST_TIMEOUT_MS` say otherwise. */
export const DEFAULT_AWS_CALL_POLICY: AwsCallPolicy = { maxAttempts: 3, connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000 };

/** Overrides of the standard AWS settings; everything unset comes from the SDK's own chains. */
export interface AwsClientOptions {
  /** @default the SDK's region chain: `AWS_REGION`, then the profile */
  readonly region?: string;
  /** @default awsCallPolicyFromEnv(process.env) */
  readonly calls?: AwsCallPolicy;
  /** One client pointed elsewhere (tests, proxies). @default the SDK's: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, AWS */
  readonly endpoint?: string;
}

const milliseconds = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError({ detail: `${name} must be a positive whole number of milliseconds, got "${raw}"` });
  return value;
};

/** The call policy, with `AWS_CONNECTION_TIMEOUT_MS` and `AWS_REQUEST_TIMEOUT_MS` overriding the defaults. */
export const awsCallPolicyFromEnv = (env: NodeJS.ProcessEnv): AwsCallPolicy => ({
  maxAttempts: DEFAULT_AWS_CALL_POLICY.maxAttempts,
  connectionTimeoutMs: milliseconds(env, 'AWS_CONNECTION_TIMEOUT_MS', DEFAULT_AWS_CALL_POLICY.connectionTimeoutMs),
  requestTimeoutMs: milliseconds(env, 'AWS_REQUEST_TIMEOUT_MS', DEFAULT_AWS_CALL_POLICY.requestTimeoutMs),
});

/**
 * The settings every SDK client here is built with: the standard ones (region, credentials, `AWS_ENDPOINT_URL*`)
 * left to the SDK, plus the attempts and per-attempt timeouts of the call policy.
 */
export const awsClientConfig = (options: AwsClientOptions = {}) => {
  const calls = options.calls ?? awsCallPolicyFromEnv(process.env);
  return {
    maxAttempts: calls.maxAttempts,
    requestHandler: { connectionTimeout: calls.connectionTimeoutMs, requestTimeout: calls.requestTimeoutMs, throwOnRequestTimeout: true },
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
};

/** An SQS client. The endpoint comes from configuration, not the queue URL: emulators name hosts that need not resolve. */
export const createSqsClient = (options: AwsClientOptions = {}): SQSClient => new SQSClient({ ...awsClientConfig(options), useQueueUrlAsEndpoint: false });

/** A Secrets Manager client; `AWS_ENDPOINT_URL_SECRETS_MANAGER` points it elsewhere, e.g. a fake in tests. */
export const createSecretsManagerClient = (options: AwsClientOptions = {}): SecretsManagerClient => new SecretsManagerClient(awsClientConfig(options));

/** A DynamoDB client; the adapters wrap it in a document client (`createDocumentClient`). */
export const createDynamoDbClient = (options: AwsClientOptions = {}): DynamoDBClient => new DynamoDBClient(awsClientConfig(options));
