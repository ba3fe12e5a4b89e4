import type { AwsCallPolicy, AwsClientOptions } from '../functions/adapters/aws-clients';

/**
 * The CLI's calls may scan a ledger page or wait on a laptop's network: more patience per attempt than a
 * function, which must retry a stalled call within its own timeout.
 */
export const CLI_CALL_POLICY: AwsCallPolicy = { maxAttempts: 3, connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 };

/**
 * Client settings for the CLI: its `--region` and patience; credentials come from the SDK's default chain
 * (environment, profiles, SSO, …), as in the functions.
 */
export const cliAwsOptions = (region?: string): AwsClientOptions => ({ ...(region === undefined ? {} : { region }), calls: CLI_CALL_POLICY });
