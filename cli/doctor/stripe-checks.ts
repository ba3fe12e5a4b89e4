import type Stripe from 'stripe';
import { describeError } from '../../functions/core/errors';
import { enabledEvents } from '../endpoints-command';
import { thinEnabledEvents } from '../event-destinations';
import type { Check, CheckResult } from './check';
import { fail, ok, skip, warn } from './check';
import type { DoctorProbe } from './probe';

type Outcome = Omit<CheckResult, 'id' | 'title'>;

/** What Stripe's error means for the key, and what to do. */
const keyFailure = (error: unknown, access: string, probe: DoctorProbe): Outcome => {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 401) return fail('Stripe refused the key (invalid, expired or revoked)', probe.apiKeyFix);
  if (status === 403) return fail(`the key lacks ${access}`, `give the restricted key ${access} in the Stripe Dashboard (Developers → API keys), or store one that has it: ${probe.apiKeyFix}`);
  return fail(`Stripe could not be reached: ${describeError(error)}`, 'check the network (and STRIPE_API_BASE_URL, if set), then run doctor again');
};

const missingEvents = (subscribed: readonly string[], required: readonly string[]): string[] =>
  subscribed.includes('*') ? [] : required.filter((type) => !subscribed.includes(type));

/** Checks of the platform's Stripe account, sharing one client: the key, the endpoints, the thin destination. */
export const stripeChecks = (probe: DoctorProbe, stripeFor: (apiKey: string) => Stripe): Check[] => {
  let client: Promise<Stripe | undefined> | undefined;
  const stripe = () => (client ??= probe.stripeApiKey().then((key) => (key === undefined ? undefined : stripeFor(key))));
  const noKey = () => (probe.hasStripeEndpoints ? fail('no key stored', probe.apiKeyFix) : warn('STRIPE_API_KEY is not set: only `reconcile` and `endpoints create` need it locally', probe.apiKeyFix));
  let endpoints: Promise<Stripe.WebhookEndpoint[]> | undefined;
  const listEndpoints = (api: Stripe) => (endpoints ??= api.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 1000 }));

  const apiKey: Check = {
    id: 'stripe-api-key',
    title: 'Stripe API key',
    run: async () => {
      const api = await stripe();
      if (api === undefined) return noKey();
      try {
        await api.events.list({ limit: 1 });
      } catch (error) {
        return keyFailure(error, 'read access to Events (the reconciler lists them)', probe);
      }
      return ok('works, and can list events (as the reconciler does)');
    },
  };

  const endpoint = (route: 'account' | 'connect'): Check => ({
    id: `stripe-endpoint.${route}`,
    title: `Stripe endpoint: ${route}`,
    run: async () => {
      if (!probe.hasStripeEndpoints) return skip('the local pipeline receives events through `stripe listen`, not an endpoint');
      const api = await stripe();
      if (api === undefined) return skip('needs the Stripe API key (see above)');
      const url = probe.routeUrls()[route];
      if (url === undefined) return fail('the stack has no URL for this route', 'deploy the stack completely with this version');
      let all: Stripe.WebhookEndpoint[];
      try {
        all = await listEndpoints(api);
      } catch (error) {
        return keyFailure(error, 'read access to Webhook Endpoints', probe);
      }
      const connect = route === 'connect';
      const create = `\`${probe.cli('endpoints create')}\``;
      const atUrl = all.filter((candidate) => candidate.url === url);
      const found = atUrl.find((candidate) => (candidate.application !== null) === connect);
      if (found === undefined) {
        const wrongKind = atUrl.length > 0 ? ` (an endpoint at ${url} exists, but listens to ${connect ? 'your account' : 'connected accounts'})` : '';
        return fail(`no ${connect ? 'Connect' : 'account'} endpoint points at ${url}${wrongKind}`, `${create} creates it and stores its signing secret (see docs/deploy.md, step 2)`);
      }
      if (found.status !== 'enabled') return fail(`${found.id} is ${found.status}: Stripe sends it nothing`, `enable ${found.id} in the Stripe Dashboard (Developers → Webhooks)`);
      const missing = missingEvents(found.enabled_events, enabledEvents(connect));
      if (missing.length > 0) return fail(`${found.id} does not subscribe to ${missing.join(', ')}`, `${create} updates its events`);
      return ok(`${found.id}, enabled, ${found.enabled_events.length} event types`);
    },
  });

  const thinDestination: Check = {
    id: 'stripe-destination.thin',
    title: 'Stripe destination: thin',
    run: async () => {
      const url = probe.routeUrls().thin;
      if (!probe.hasStripeEndpoints) return skip('the local pipeline receives events through `stripe listen`, not a destination');
      if (url === undefined) return warn('not configured: no thin-event route here', 'deploy a version with the thin route to receive Accounts v2 (thin) events');
      const api = await stripe();
      if (api === undefined) return skip('needs the Stripe API key (see above)');
      let destinations: Stripe.V2.Core.EventDestination[];
      try {
        destinations = await api.v2.core.eventDestinations.list({ include: ['webhook_endpoint.url'] }).autoPagingToArray({ limit: 1000 });
      } catch (error) {
        return keyFailure(error, 'read access to Event Destinations', probe);
      }
      const found = destinations.find((candidate) => candidate.type === 'webhook_endpoint' && candidate.event_payload === 'thin' && candidate.webhook_endpoint?.url === url);
      const create = `\`${probe.cli('endpoints create')}\``;
      if (found === undefined) return fail(`no thin event destination points at ${url}`, `${create} creates it and stores its signing secret (see docs/deploy.md, step 2)`);
      if (found.status !== 'enabled') return fail(`${found.id} is ${found.status}: Stripe sends it nothing`, `enable ${found.id} in the Stripe Dashboard (Developers → Event destinations)`);
      const missing = missingEvents(found.enabled_events, thinEnabledEvents());
      if (missing.length > 0) return fail(`${found.id} does not subscribe to ${missing.join(', ')}`, `${create} updates its events`);
      return ok(`${found.id}, enabled, every Accounts v2 type`);
    },
  };

  return [apiKey, endpoint('account'), endpoint('connect'), thinDestination];
};
