import type Stripe from 'stripe';
import { ConfigurationError, StripeUnavailableError, describeError } from '../core/errors';
import type { StripeV2Reader } from '../core/thin-handler';
import { V2_ACCOUNT_INCLUDE } from '../core/thin-handler';
import { createStripeClientFactory, loadStripe } from './stripe-client';

/** Settings of {@link createStripeV2Reader}. */
export interface StripeV2ReaderOptions {
  /** The platform's API key, read once when first needed (Secrets Manager on AWS, `STRIPE_API_KEY` locally). */
  readonly apiKey: () => Promise<string | undefined>;
  /** `STRIPE_API_BASE_URL`: another Stripe, e.g. the local stand-in or a test's fake. */
  readonly baseUrl?: string | undefined;
}

const UNAVAILABLE_TYPES = new Set(['StripeRateLimitError', 'StripeConnectionError', 'StripeAPIError']);

/** Rate limits (429), Stripe's own failures (5xx) and network errors are retried later; anything else is the event's or the setup's fault. */
export const translateStripeError = (cause: unknown, what: string): Error => {
  const error = cause as { type?: string; statusCode?: number; code?: string };
  const status = error.statusCode;
  const unavailable = (error.type !== undefined && UNAVAILABLE_TYPES.has(error.type)) || status === 429 || (status !== undefined && status >= 500);
  if (unavailable) return new StripeUnavailableError({ detail: `${what}: ${describeError(cause)}`, context: { statusCode: status }, cause });
  if (status === 401 || status === 403) return new ConfigurationError({ detail: `${what}: the API key was refused (${status}); it needs read access to v2 events and accounts`, context: { statusCode: status } });
  return cause instanceof Error ? cause : new Error(String(cause));
};

const isNotFound = (cause: unknown): boolean => (cause as { statusCode?: number }).statusCode === 404;

/**
 * Reads Stripe's v2 API through the stripe package, as stripe-node's `fetchEvent()` / `fetchRelatedObject()`
 * do: the event's context as `Stripe-Context`, and `Stripe-Request-Trigger: event=<id>`.
 */
export const createStripeV2Reader = (options: StripeV2ReaderOptions): StripeV2Reader => {
  let client: Promise<Stripe> | undefined;
  const stripe = (): Promise<Stripe> => {
    client ??= Promise.all([options.apiKey(), loadStripe()]).then(
      ([apiKey, stripe]) => createStripeClientFactory({ apiKey, baseUrl: options.baseUrl, stripe })(undefined),
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  };
  const call = async <T>(what: string, request: (api: Stripe) => Promise<T>): Promise<T> => {
    const api = await stripe();
    try {
      return await request(api);
    } catch (cause) {
      throw translateStripeError(cause, what);
    }
  };
  const contextOf = (context: string | null) => (context === null ? {} : { stripeContext: context });
  return {
    fetchEvent: ({ eventId, context }) =>
      call(`GET /v2/core/events/${eventId}`, (api) => api.v2.core.events.retrieve(eventId, {}, { ...contextOf(context), headers: { 'Stripe-Request-Trigger': `event=${eventId}` } })),
    fetchAccount: ({ accountId, context }) => call(`GET /v2/core/accounts/${accountId}`, (api) => api.v2.core.accounts.retrieve(accountId, { include: [...V2_ACCOUNT_INCLUDE] }, contextOf(context))),
    fetchPerson: ({ accountId, personId, context }) =>
      call(`GET /v2/core/accounts/${accountId}/persons/${personId}`, async (api) => {
        try {
          return await api.v2.core.accounts.persons.retrieve(accountId, personId, {}, contextOf(context));
        } catch (cause) {
          if (isNotFound(cause)) return undefined;
          throw cause;
        }
      }),
    fetchSnapshotEvent: ({ eventId, context }) =>
      call(`GET /v1/events/${eventId}`, async (api) => {
        const event = await api.events.retrieve(eventId, {}, context === null ? {} : { stripeAccount: context });
        // Stripe does not always repeat `account` in an event read as the account; the Connect route's events carry it.
        return JSON.stringify(context !== null && event.account === undefined ? { ...event, account: context } : event, null, 2);
      }),
  };
};
