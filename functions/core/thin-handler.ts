import type Stripe from 'stripe';
import { ConfigurationError } from './errors';
import type { HandlerResult } from './handler-registry';
import type { Logger } from './ports';
import type { ThinNotification } from './thin-event';

/** Every thin event type the stripe package knows, from its `V2.Core.Event` union (`v2.*`, and `v1.*` since stripe 23). */
export type ThinEventType = Stripe.V2.Core.Event['type'];

/** The full event (`GET /v2/core/events/{id}`) of the given thin type. */
export type ThinEventOfType<T extends ThinEventType> = Extract<Stripe.V2.Core.Event, { type: T }>;

/** The configurations a v2 account can have; every one is asked for, so a projection sees the whole account. */
export const V2_ACCOUNT_INCLUDE = ['configuration.customer', 'configuration.merchant', 'configuration.recipient', 'defaults', 'future_requirements', 'identity', 'requirements'] as const;

/**
 * Reads of Stripe's v2 API as one context (the event's `context` as `Stripe-Context`, none for the platform),
 * with the platform's API key. Rate limits and outages throw `StripeUnavailableError`, which the worker retries
 * with back-off; other failures throw as they are.
 */
/** The worker's v2 reader, or a configuration error naming what is missing: a thin event cannot be fetched without it. */
export const requireReader = (reader: StripeV2Reader | undefined): StripeV2Reader => {
  if (reader === undefined) throw new ConfigurationError({ detail: 'a thin event arrived, but the worker has no Stripe v2 reader (STRIPE_API_KEY or STRIPE_API_KEY_SECRET_ID)' });
  return reader;
};

export interface StripeV2Reader {
  /** The full event of a thin notification. */
  fetchEvent(input: { readonly eventId: string; readonly context: string | null }): Promise<Stripe.V2.Core.Event>;
  /** The v2 account with every `include` of {@link V2_ACCOUNT_INCLUDE}. */
  fetchAccount(input: { readonly accountId: string; readonly context: string | null }): Promise<Stripe.V2.Core.Account>;
  /** The person, or undefined when Stripe answers 404 (deleted since). */
  fetchPerson(input: { readonly accountId: string; readonly personId: string; readonly context: string | null }): Promise<Stripe.V2.Core.AccountPerson | undefined>;
  /** A v1 snapshot event (`GET /v1/events/{id}` as the context account), as the JSON body a webhook would carry. */
  fetchSnapshotEvent(input: { readonly eventId: string; readonly context: string | null }): Promise<string>;
}

/** What a thin handler receives: the notification, its fetched event, and a reader bound to the event's context. */
export interface ThinHandlerInput<E extends Stripe.V2.Core.Event> {
  readonly notification: ThinNotification;
  readonly event: E;
  /** The event's context account; undefined for the platform's own events. */
  readonly account: string | undefined;
  readonly idempotencyKey: string;
  /** Fetches as the event's context. */
  readonly stripe: {
    fetchAccount(accountId: string): Promise<Stripe.V2.Core.Account>;
    fetchPerson(accountId: string, personId: string): Promise<Stripe.V2.Core.AccountPerson | undefined>;
  };
  /** Epoch ms; read just before a fetch, it bounds how fresh the fetched object is at least. */
  readonly clock: () => number;
  readonly logger: Logger;
}

/** Handles one thin event type; throwing marks the event failed (retried with back-off when Stripe was unavailable). */
export type ThinEventHandler<T extends ThinEventType> = (input: ThinHandlerInput<ThinEventOfType<T>>) => Promise<HandlerResult>;

/** Thin handlers by event type, each typed by its full event. */
export type ThinHandlerMap = { readonly [T in ThinEventType]?: ThinEventHandler<T> };

/** A thin handler looked up by a runtime type string: it is only ever called with the event of that type. */
export type RegisteredThinHandler = (input: ThinHandlerInput<Stripe.V2.Core.Event>) => Promise<HandlerResult>;
