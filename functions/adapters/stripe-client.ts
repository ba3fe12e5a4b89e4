import Stripe from 'stripe';
import { ConfigurationError } from '../core/errors';

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
    return new Stripe(options.apiKey, { maxNetworkRetries: 2, ...target, ...(account === undefined ? {} : { stripeAccount: account }) });
  };
};
