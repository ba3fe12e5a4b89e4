import type Stripe from 'stripe';
import { ConnectWebhooksError, describeError } from '../core/errors';
import type { EventSource, ListedEvent } from '../core/reconcile';

/** A Stripe event source could not be read; `context.status` is Stripe's HTTP status when it answered. */
export class StripeApiError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown>; readonly cause?: unknown }) {
    super({ message: `Stripe API error: ${options.detail}`, code: 'stripe.api', ...options });
  }
}

const isRateLimited = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && ((error as { type?: string }).type === 'StripeRateLimitError' || (error as { statusCode?: number }).statusCode === 429);

/** Retries calls Stripe refused with 429, waiting `baseMs · 2^n` (with jitter) between tries. */
export const withRateLimitBackoff = async <T>(options: {
  readonly call: () => Promise<T>;
  readonly retries: number;
  readonly baseMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (attempt: number, waitMs: number) => void;
}): Promise<T> => {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await options.call();
    } catch (error) {
      if (!isRateLimited(error) || attempt >= options.retries) throw error;
      const waitMs = options.baseMs * 2 ** attempt * (1 + Math.random() / 2);
      options.onRetry?.(attempt + 1, waitMs);
      await sleep(waitMs);
    }
  }
};

/** How a reconciler source retries Stripe's 429s. */
export interface ListRetryOptions {
  /** @default 6 */
  readonly retries?: number;
  /** @default 500 */
  readonly baseMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One list request of a reconciler source: 429s retried with back-off, any other failure a `StripeApiError` naming
 * the scope (and Stripe's status when it answered), which ends that scope with its cursor unsaved.
 */
export const readListPage = <T>(options: { readonly call: () => Promise<T>; readonly account: string | undefined; readonly context?: Record<string, unknown>; readonly retry: ListRetryOptions }): Promise<T> =>
  withRateLimitBackoff({
    call: options.call,
    retries: options.retry.retries ?? 6,
    baseMs: options.retry.baseMs ?? 500,
    ...(options.retry.sleep === undefined ? {} : { sleep: options.retry.sleep }),
  }).catch((cause: unknown) => {
    const status = (cause as { statusCode?: unknown } | undefined)?.statusCode;
    throw new StripeApiError({ detail: describeError(cause), context: { account: options.account ?? 'platform', ...options.context, ...(typeof status === 'number' ? { status } : {}) }, cause });
  });

/** The name of the v1 Events API source: it names its cursors. */
export const EVENTS_V1_SOURCE = 'events-v1';

/**
 * Stripe's v1 Events API (`GET /v1/events`) as a reconciler source, read with Stripe's own client: newest first,
 * `limit` per page, continued with `starting_after`. Events of a connected account are read with its
 * `Stripe-Account` context; Stripe does not always repeat `account` in them, so it is set.
 */
export const createStripeEventsV1Source = (
  options: ListRetryOptions & {
    readonly stripeFor: (account: string | undefined) => Stripe;
    /** @default 100, Stripe's largest page */
    readonly pageSize?: number;
  },
): EventSource => ({
  name: EVENTS_V1_SOURCE,
  async page({ account, createdSince, after }) {
    const stripe = options.stripeFor(account);
    const params: Stripe.EventListParams = { created: { gte: createdSince }, limit: options.pageSize ?? 100, ...(after === undefined ? {} : { starting_after: after }) };
    const page = await readListPage({ call: () => stripe.events.list(params), account, retry: options });
    const events: ListedEvent[] = page.data.map((event) => {
      const body = account !== undefined && event.account === undefined ? { ...event, account } : event;
      return { id: event.id, created: event.created, body: JSON.stringify(body, null, 2) };
    });
    const last = page.data.at(-1);
    return { events, ...(page.has_more && last !== undefined ? { next: last.id } : {}) };
  },
});
