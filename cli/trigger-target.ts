import Stripe from 'stripe';
import { WEBHOOK_SECRET_VARIABLES } from '../functions/adapters/env-webhook-secrets';
import type { WebhookRoute } from '../functions/core/stripe-event';
import { STATE_FILE, readPipelineState } from '../local/local-settings';
import { UsageError } from './cli-errors';
import { loadTarget } from './pipeline-target';

/** Where `trigger` posts and the secret it signs with. */
export interface TriggerTarget {
  readonly baseUrl: string;
  readonly secret: string;
}


const firstSecret = (list: string | undefined): string | undefined => list?.split(',').map((secret) => secret.trim()).find((secret) => secret !== '');

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * `--url` with a secret (`--secret`, or the route's variable) needs no local pipeline. Otherwise the running local
 * pipeline's state file gives what is missing: its URL and its secret for the route.
 */
export const resolveTriggerTarget = (options: {
  readonly route: WebhookRoute;
  readonly url?: string;
  readonly secret?: string;
  readonly state?: string;
  readonly env: NodeJS.ProcessEnv;
}): TriggerTarget => {
  const variable = WEBHOOK_SECRET_VARIABLES[options.route];
  const secret = options.secret ?? (options.url === undefined ? undefined : firstSecret(options.env[variable]));
  if (options.url !== undefined && secret !== undefined) return { baseUrl: withoutTrailingSlash(options.url), secret };
  const state = readPipelineState(options.state ?? STATE_FILE);
  if (state === undefined && options.url !== undefined) {
    throw new UsageError(`trigger --url needs the ${options.route} endpoint's signing secret: pass --secret whsec_… or set ${variable}.`);
  }
  const pipeline = state ?? loadTarget(options.state === undefined ? {} : { state: options.state });
  const signWith = secret ?? pipeline.secrets[options.route]?.[0];
  if (signWith === undefined) throw new UsageError(`The local pipeline has no secret for the ${options.route} endpoint: pass --secret whsec_….`);
  return { baseUrl: withoutTrailingSlash(options.url ?? pipeline.url), secret: signWith };
};

/** Signs `payload` with the target's secret, as Stripe signs a delivery, and posts it to the route. */
export const postSigned = async (options: { readonly target: TriggerTarget; readonly route: WebhookRoute; readonly payload: string }): Promise<{ readonly ok: boolean; readonly status: number; readonly body: string }> => {
  const header = Stripe.webhooks.generateTestHeaderString({ payload: options.payload, secret: options.target.secret });
  const response = await fetch(`${options.target.baseUrl}/webhooks/${options.route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'connect-webhooks-cli' },
    body: options.payload,
  });
  return { ok: response.ok, status: response.status, body: await response.text() };
};
