import type Stripe from 'stripe';
import { ConfigurationError } from '../core/errors';

let stripeClass: typeof Stripe | undefined;

/**
 * The stripe package, loaded on first use: evaluating it costs more than the rest of the worker's cold start,
 * and only custom handlers (and the reconciler's reads) ever need it.
 */
const loadStripe = (): typeof Stripe => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred load is the point
  stripeClass ??= require('stripe') as typeof Stripe;
  return stripeClass;
};

/**
 * Makes Stripe clients acting as a connected account (`Stripe-Account` on every request) or as the
 * platform. `baseUrl` points the client elsewhere than api.stripe.com, e.g. a fake Stripe in tests.
 */
export const createStripeClientFactory = (options: { readonly apiKey: string | undefined; readonly baseUrl?: string | undefined }) => {
  const target = options.baseUrl === undefined ? {} : (() => {
    const url = new URL(options.baseUrl);
    return { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), protocol: url.protocol.replace(':', '') as 'http' | 'https' };
  })();
  return (account: string | undefined): Stripe => {
    if (options.apiKey === undefined || options.apiKey === '') {
      throw new ConfigurationError({ detail: 'a handler used the Stripe client, but STRIPE_API_KEY is not set' });
    }
    const StripeClient = loadStripe();
    return new StripeClient(options.apiKey, { maxNetworkRetries: 2, ...target, ...(account === undefined ? {} : { stripeAccount: account }) });
  };
};
