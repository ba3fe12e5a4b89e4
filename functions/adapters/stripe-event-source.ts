import type Stripe from 'stripe';
import { ConnectWebhooksError, describeError } from '../core/errors';
import type { ListedEvent, StripeEventSource } from '../core/reconcile';

/** Stripe's Events API could not be read. */
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

/**
 * Lists events page by page (100 a page) with Stripe's own client. Events of a connected account are read
 * with its `Stripe-Account` context; Stripe does not always repeat `account` in them, so it is set.
 */
export const createStripeEventSource = (options: {
  readonly stripeFor: (account: string | undefined) => Stripe;
  /** @default 6 */
  readonly retries?: number;
  /** @default 500 */
  readonly baseMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}): StripeEventSource => ({
  async *list({ account, createdSince }): AsyncIterable<ListedEvent> {
    const stripe = options.stripeFor(account);
    let startingAfter: string | undefined;
    for (;;) {
      const params: Stripe.EventListParams = { created: { gte: createdSince }, limit: 100, ...(startingAfter === undefined ? {} : { starting_after: startingAfter }) };
      const page = await withRateLimitBackoff({
        call: () => stripe.events.list(params),
        retries: options.retries ?? 6,
        baseMs: options.baseMs ?? 500,
        ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      }).catch((cause: unknown) => {
        throw new StripeApiError({ detail: describeError(cause), context: { account: account ?? 'platform' }, cause });
      });
      for (const event of page.data) {
        const body = account !== undefined && event.account === undefined ? { ...event, account } : event;
        yield { id: event.id, created: event.created, body: JSON.stringify(body, null, 2) };
      }
      const last = page.data.at(-1);
      if (!page.has_more || last === undefined) return;
      startingAfter = last.id;
    }
  },
});
