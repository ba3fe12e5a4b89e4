import type Stripe from 'stripe';
import { createSecretsManagerClient } from '../functions/adapters/aws-clients';
import { cliAwsOptions } from './aws-options';
import { loadStripeApiKey } from '../functions/adapters/stripe-api-key';
import { createStripeClientFactory, loadStripe } from '../functions/adapters/stripe-client';
import { stackTargetOf } from './target';
import type { TargetOptions } from './target';

/**
 * A Stripe client factory for the CLI: the API key from the deployed stack's secret (`--stack`) or from
 * `STRIPE_API_KEY`; `STRIPE_API_BASE_URL` points it at another Stripe (a fake in tests).
 */
export const stripeFor = async (options: TargetOptions): Promise<(account: string | undefined) => Stripe> =>
  createStripeClientFactory({ apiKey: await stripeApiKeyFor(options), baseUrl: process.env.STRIPE_API_BASE_URL, stripe: await loadStripe() });

/** The Stripe API key: the deployed stack's secret (`--stack`) or `STRIPE_API_KEY`; a clear error when there is none. */
export const stripeApiKeyFor = async (options: TargetOptions): Promise<string> => {
  const stack = await stackTargetOf(options);
  const env = stack === undefined ? process.env : { ...process.env, STRIPE_API_KEY_SECRET_ID: stack.resource('stripeApiKeySecretName') };
  const apiKey = await loadStripeApiKey({ env, client: () => createSecretsManagerClient(cliAwsOptions(stack?.region)) });
  if (apiKey === undefined) {
    throw new Error(stack === undefined ? 'Set STRIPE_API_KEY (a secret or restricted key of your platform) to reach Stripe.' : `The stack's Stripe API key secret is empty: store a key in it first.`);
  }
  return apiKey;
};
