import { ConfigurationError } from '../core/errors';
import type { AwsCredentials } from './aws-signature-v4';

/** What it takes to call one AWS service over its JSON protocol. */
export interface AwsJsonService {
  /** Name in SigV4 scopes. */
  readonly signingName: string;
  /** First label of the regional host name. */
  readonly endpointPrefix: string;
  /** Suffix of the `AWS_ENDPOINT_URL_<ID>` setting, as the AWS SDKs and CLI spell it. */
  readonly endpointEnvId: string;
  /** `X-Amz-Target` prefix: `<prefix>.<Operation>`. */
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
}

/** The three services the Lambdas call. */
export const AWS_JSON_SERVICES = {
  sqs: { signingName: 'sqs', endpointPrefix: 'sqs', endpointEnvId: 'SQS', targetPrefix: 'AmazonSQS', jsonVersion: '1.0' },
  dynamoDb: { signingName: 'dynamodb', endpointPrefix: 'dynamodb', endpointEnvId: 'DYNAMODB', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' },
  secretsManager: { signingName: 'secretsmanager', endpointPrefix: 'secretsmanager', endpointEnvId: 'SECRETS_MANAGER', targetPrefix: 'secretsmanager', jsonVersion: '1.1' },
} as const satisfies Record<string, AwsJsonService>;

/** Yields credentials for each call; a provider may cache and refresh them. */
export type AwsCredentialProvider = () => Promise<AwsCredentials>;

const setting = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** The region from `AWS_REGION` (set by Lambda) or `AWS_DEFAULT_REGION`. */
export const regionFromEnv = (env: NodeJS.ProcessEnv): string => {
  const region = setting(env, 'AWS_REGION') ?? setting(env, 'AWS_DEFAULT_REGION');
  if (region === undefined) throw new ConfigurationError({ detail: 'no AWS region: set AWS_REGION' });
  return region;
};

/**
 * The endpoint as the AWS SDKs resolve it from configuration: `AWS_ENDPOINT_URL_<SERVICE>`, then
 * `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true; else the service's regional host.
 */
export const endpointFor = (options: { readonly service: AwsJsonService; readonly region: string; readonly env: NodeJS.ProcessEnv }): URL => {
  const { service, region, env } = options;
  const ignoreConfigured = setting(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')?.toLowerCase() === 'true';
  const configured = ignoreConfigured ? undefined : (setting(env, `AWS_ENDPOINT_URL_${service.endpointEnvId}`) ?? setting(env, 'AWS_ENDPOINT_URL'));
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const text = configured ?? `https://${service.endpointPrefix}.${region}.${suffix}`;
  try {
    return new URL(text);
  } catch {
    throw new ConfigurationError({ detail: `endpoint ${JSON.stringify(text.slice(0, 200))} for ${service.signingName} is not a URL` });
  }
};

/**
 * Credentials from the environment, where Lambda puts the function role's session (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). Read on every call, so a changed environment is picked up.
 */
export const envCredentials =
  (env: NodeJS.ProcessEnv): AwsCredentialProvider =>
  async () => {
    const accessKeyId = setting(env, 'AWS_ACCESS_KEY_ID');
    const secretAccessKey = setting(env, 'AWS_SECRET_ACCESS_KEY');
    if (accessKeyId === undefined || secretAccessKey === undefined) {
      throw new ConfigurationError({ detail: 'no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)' });
    }
    const sessionToken = setting(env, 'AWS_SESSION_TOKEN');
    return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  };
