import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from '../core/errors';
import { getSecretValue } from './secrets-manager-webhook-secrets';

/**
 * The Stripe API key: from the Secrets Manager secret `STRIPE_API_KEY_SECRET_ID` when set (deployed), else
 * `STRIPE_API_KEY` (local runs), else undefined. The secret holds the key as plain text (`sk_…` or `rk_…`,
 * a restricted key with read access to events is enough for the reconciler).
 */
export const loadStripeApiKey = async (options: { readonly env: NodeJS.ProcessEnv; readonly client: () => SecretsManagerClient }): Promise<string | undefined> => {
  const secretId = options.env.STRIPE_API_KEY_SECRET_ID;
  if (secretId === undefined || secretId === '') return options.env.STRIPE_API_KEY || undefined;
  const result = await getSecretValue({ client: options.client(), secretId });
  const key = result.SecretString?.trim();
  if (key === undefined || key === '') return undefined;
  if (!/^(sk|rk)_(test|live)_\S+$/.test(key)) throw new ConfigurationError({ detail: `the secret ${secretId} does not hold a Stripe API key (sk_… or rk_…)` });
  return key;
};
