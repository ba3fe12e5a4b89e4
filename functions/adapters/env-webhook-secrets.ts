import { ConfigurationError } from '../core/errors';
import type { WebhookSecrets } from '../core/ports';
import { WebhookRoute } from '../core/stripe-event';

/** Splits a comma-separated secret list, refusing anything that is not a `whsec_` secret. */
export const parseSecretList = (options: { readonly value: string | undefined; readonly name: string }): readonly string[] => {
  const secrets = (options.value ?? '').split(',').map((secret) => secret.trim()).filter((secret) => secret !== '');
  const bad = secrets.findIndex((secret) => !/^whsec_\S+$/.test(secret));
  if (bad >= 0) throw new ConfigurationError({ detail: `${options.name} entry ${bad + 1} is not a whsec_ secret` });
  return secrets;
};

/**
 * Secrets from `STRIPE_WEBHOOK_SECRET` (account endpoint), `STRIPE_CONNECT_WEBHOOK_SECRET` (Connect endpoint) and
 * `STRIPE_THIN_WEBHOOK_SECRET` (thin event destination),
 * each a comma-separated list so old and new secrets overlap during a rotation.
 */
export const createEnvWebhookSecrets = (env: NodeJS.ProcessEnv): WebhookSecrets => {
  const lists = {
    [WebhookRoute.account]: parseSecretList({ value: env.STRIPE_WEBHOOK_SECRET, name: 'STRIPE_WEBHOOK_SECRET' }),
    [WebhookRoute.connect]: parseSecretList({ value: env.STRIPE_CONNECT_WEBHOOK_SECRET, name: 'STRIPE_CONNECT_WEBHOOK_SECRET' }),
    [WebhookRoute.thin]: parseSecretList({ value: env.STRIPE_THIN_WEBHOOK_SECRET, name: 'STRIPE_THIN_WEBHOOK_SECRET' }),
  } as const;
  return { secretsFor: async (route) => lists[route] };
};
