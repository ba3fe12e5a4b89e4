import type { AwsCredentialProvider } from './aws-service-settings';

/**
 * Overrides of the standard AWS settings: the CLI's `--region`, and its credential chain (profiles, SSO), which
 * the Lambdas do without. Unset fields fall back to the environment.
 */
export interface AwsClientOptions {
  readonly region?: string;
  readonly credentials?: AwsCredentialProvider;
}

/** The overrides as client settings, leaving out what is unset. */
export const awsOverridesOf = (options: AwsClientOptions): { region?: string; credentials?: AwsCredentialProvider } => ({
  ...(options.region === undefined ? {} : { region: options.region }),
  ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
});
