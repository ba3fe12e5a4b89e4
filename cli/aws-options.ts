import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsClientOptions } from '../functions/adapters/aws-client-options';
import type { AwsCredentialProvider } from '../functions/adapters/aws-service-settings';

let chain: AwsCredentialProvider | undefined;

/**
 * Client settings for the CLI: its `--region`, and the AWS SDK's whole credential chain (environment, profiles,
 * SSO, …), which the Lambdas' small client does without because Lambda puts credentials in the environment.
 */
export const cliAwsOptions = (region?: string): AwsClientOptions => {
  // One memoized chain per process: it caches and refreshes what it resolved.
  chain ??= defaultProvider();
  return { ...(region === undefined ? {} : { region }), credentials: chain };
};
