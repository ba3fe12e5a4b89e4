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

/** The variable holding each route's secret list, comma-separated so old and new secrets overlap during a rotation. */
export const WEBHOOK_SECRET_VARIABLES = {
  [WebhookRoute.account]: 'STRIPE_WEBHOOK_SECRET',
  [WebhookRoute.connect]: 'STRIPE_CONNECT_WEBHOOK_SECRET',
  [WebhookRoute.thin]: 'STRIPE_THIN_WEBHOOK_SECRET',
} as const satisfies Record<WebhookRoute, string>;

/** Every route's list from its variable (empty when unset); a value that is not a `whsec_` secret is refused. */
export const secretListsFromEnv = (env: NodeJS.ProcessEnv): Readonly<Record<WebhookRoute, readonly string[]>> => ({
  [WebhookRoute.account]: parseSecretList({ value: env[WEBHOOK_SECRET_VARIABLES.account], name: WEBHOOK_SECRET_VARIABLES.account }),
  [WebhookRoute.connect]: parseSecretList({ value: env[WEBHOOK_SECRET_VARIABLES.connect], name: WEBHOOK_SECRET_VARIABLES.connect }),
  [WebhookRoute.thin]: parseSecretList({ value: env[WEBHOOK_SECRET_VARIABLES.thin], name: WEBHOOK_SECRET_VARIABLES.thin }),
});

/** Secrets from the environment: the account endpoint's, the Connect endpoint's and the thin destination's lists. */
export const createEnvWebhookSecrets = (env: NodeJS.ProcessEnv): WebhookSecrets => {
  const lists = secretListsFromEnv(env);
  return { secretsFor: async (route) => lists[route] };
};
