import type Stripe from 'stripe';
import { ConfigurationError } from '../core/errors';

let loading: Promise<typeof Stripe> | undefined;

/**
 * The stripe package, imported when first needed: it is bundled with the function like any package, but evaluating
 * it costs more than the rest of the worker's module init, and only custom handlers (and the reconciler's reads)
 * ever use it.
 */
export const loadStripe = (): Promise<typeof Stripe> =>
  // TypeScript types a dynamic import by the package's ESM declarations and the type import by its CommonJS ones:
  // the same class, declared twice.
  (loading ??= import('stripe').then((module) => module.default as unknown as typeof Stripe));

/**
 * Makes Stripe clients acting as a connected account (`Stripe-Account` on every request) or as the platform, with
 * the class `loadStripe` resolved. `baseUrl` points the client elsewhere than api.stripe.com, e.g. a fake Stripe in
 * tests.
 */
export const createStripeClientFactory = (options: { readonly apiKey: string | undefined; readonly baseUrl?: string | undefined; readonly stripe: typeof Stripe }) => {
  const target = options.baseUrl === undefined ? {} : (() => {
    const url = new URL(options.baseUrl);
    return { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), protocol: url.protocol.replace(':', '') as 'http' | 'https' };
  })();
  return (account: string | undefined): Stripe => {
    if (options.apiKey === undefined || options.apiKey === '') {
      throw new ConfigurationError({ detail: 'a handler used the Stripe client, but STRIPE_API_KEY is not set' });
    }
    return new options.stripe(options.apiKey, { maxNetworkRetries: 2, ...target, ...(account === undefined ? {} : { stripeAccount: account }) });
  };
};
