import type Stripe from 'stripe';
import type { Logger } from './ports';

/** Every v1 event type Stripe can send, from the stripe package's `Event` union. */
export type StripeEventType = Stripe.Event['type'];

/** The member of Stripe's `Event` union with the given type. */
export type EventOfType<T extends StripeEventType> = Extract<Stripe.Event, { type: T }>;

/** What a handler receives. */
export interface HandlerInput<E extends Stripe.Event> {
  readonly event: E;
  /** The connected account the event belongs to; undefined for the platform's own events. */
  readonly account: string | undefined;
  /** Stable per event: pass it to side effects (Stripe API calls, e-mails) so a rerun does not repeat them. */
  readonly idempotencyKey: string;
  readonly logger: Logger;
}

/** A small, JSON-serialisable summary of what the handler did; stored on the ledger record. */
export type HandlerOutcome = Record<string, unknown>;

/** Handles one event type. Throwing marks the event failed so its next delivery runs it again. */
export type EventHandler<T extends StripeEventType> = (input: HandlerInput<EventOfType<T>>) => Promise<HandlerOutcome>;

/** The one place handlers are registered: at most one per event type, each typed by its event. */
export type HandlerMap = { readonly [T in StripeEventType]?: EventHandler<T> };

/** A handler looked up by a runtime type string: it is only ever called with the event of that type. */
export type RegisteredHandler = (input: HandlerInput<Stripe.Event>) => Promise<HandlerOutcome>;

/** Looks handlers up by the type string of an incoming event, which may be a type this build does not know. */
export interface HandlerRegistry {
  find(eventType: string): RegisteredHandler | undefined;
  readonly types: readonly string[];
}

/** Builds a registry from a handler map. */
export const createHandlerRegistry = (handlers: HandlerMap): HandlerRegistry => {
  // The map's key ties each handler to its event type, so erasing the parameter type here is sound.
  const byType = new Map<string, RegisteredHandler>();
  for (const [type, handler] of Object.entries(handlers)) {
    if (typeof handler === 'function') byType.set(type, handler as RegisteredHandler);
  }
  return { find: (eventType) => byType.get(eventType), types: [...byType.keys()].sort() };
};
