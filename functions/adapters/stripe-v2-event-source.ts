import type Stripe from 'stripe';
import type { EventSource, ListedEvent } from '../core/reconcile';
import { secondsOf } from '../core/thin-event';
import { readListPage } from './stripe-event-source';
import type { ListRetryOptions } from './stripe-event-source';

/** The name of the v2 events source: it names its cursors, apart from the v1 source's (the two APIs list different events). */
export const EVENTS_V2_SOURCE = 'events-v2';

/** Settings of {@link createStripeV2EventSource}. */
export interface StripeV2EventSourceOptions extends ListRetryOptions {
  /** A Stripe client of the platform (its API key); accounts are read with `Stripe-Context`. */
  readonly stripe: Stripe;
  /** @default 100 */
  readonly pageSize?: number;
  /** Only these thin types (`types` filter); @default every type */
  readonly types?: readonly string[];
}

/** The `page` token of a v2 list's `next_page_url`, or undefined on the last page. */
const pageTokenOf = (nextPageUrl: string | null): string | undefined => {
  if (nextPageUrl === null || nextPageUrl === '') return undefined;
  return new URL(nextPageUrl, 'https://api.stripe.com').searchParams.get('page') ?? undefined;
};

/**
 * The notification Stripe would have delivered for a listed v2 event: what the thin route enqueues, so the worker
 * processes a reconciled event exactly as a delivered one (it fetches the event and objects itself).
 */
export const notificationOf = (event: Stripe.V2.Core.Event, account: string | undefined): string =>
  JSON.stringify({
    id: event.id,
    object: 'v2.core.event',
    type: event.type,
    created: event.created,
    livemode: event.livemode,
    context: event.context ?? account ?? null,
    related_object: 'related_object' in event && event.related_object !== undefined ? event.related_object : null,
  });

/**
 * Stripe's v2 events (`GET /v2/core/events`) as a reconciler source: one page of the events created at or after
 * `createdSince` (100 a page, continued with the token of `next_page_url`), the platform's or, with
 * `Stripe-Context`, one account's. 429s are retried with exponential back-off; any other failure ends the scope
 * with a `StripeApiError`, its cursor unsaved.
 */
export const createStripeV2EventSource = (options: StripeV2EventSourceOptions): EventSource => ({
  name: EVENTS_V2_SOURCE,
  async page({ account, createdSince, after }) {
    const requestOptions = account === undefined ? {} : { stripeContext: account };
    // v2 filters take RFC 3339 times; the package types them as numbers.
    const params = {
      created: { gte: new Date(createdSince * 1000).toISOString() as unknown as number },
      limit: options.pageSize ?? 100,
      ...(options.types === undefined ? {} : { types: [...options.types] }),
      ...(after === undefined ? {} : { page: after }),
    } as Stripe.V2.Core.EventListParams;
    const list = await readListPage({ call: () => options.stripe.v2.core.events.list(params, requestOptions), account, context: { api: 'v2' }, retry: options });
    const events: ListedEvent[] = list.data.map((event) => ({ id: event.id, created: secondsOf(event.created), body: notificationOf(event, account) }));
    const next = list.data.length === 0 ? undefined : pageTokenOf(list.next_page_url);
    return { events, ...(next === undefined ? {} : { next }) };
  },
});
