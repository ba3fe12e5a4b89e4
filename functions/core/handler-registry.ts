import type Stripe from 'stripe';
import type { Logger } from './ports';
import type { StateWrite } from './state/state-write';
import type { RegisteredThinHandler, ThinHandlerMap } from './thin-handler';

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
  /**
   * A Stripe client acting as the event's connected account (the `Stripe-Account` header), or as the platform
   * for platform events. Built on first use; using it without a configured API key throws.
   */
  readonly stripe: Stripe;
  readonly logger: Logger;
}

/**
 * What a handler hands back: state writes, committed with the ledger in one transaction (so they land
 * exactly once and never roll newer state back), and a small JSON summary kept on the ledger record.
 */
export interface HandlerResult {
  readonly writes?: readonly StateWrite[];
  readonly outcome?: Record<string, unknown>;
}

/** Handles one event type. Throwing marks the event failed so its next delivery runs it again. */
export type EventHandler<T extends StripeEventType> = (input: HandlerInput<EventOfType<T>>) => Promise<HandlerResult>;

/** Handlers by event type, each typed by its event; several may share a type. */
export type HandlerMap = { readonly [T in StripeEventType]?: EventHandler<T> | readonly EventHandler<T>[] };

/** A handler looked up by a runtime type string: it is only ever called with the event of that type. */
export type RegisteredHandler = (input: HandlerInput<Stripe.Event>) => Promise<HandlerResult>;

/** The handlers of one event type: the built-in state projections and the platform's own. */
export interface HandlersForType {
  readonly projections: readonly RegisteredHandler[];
  readonly custom: readonly RegisteredHandler[];
  /** Projections of thin (v2) event types, which fetch what they need; present only for a thin type that has some. */
  readonly thin?: readonly RegisteredThinHandler[];
}

/** Looks handlers up by the type string of an incoming event, which may be a type this build does not know. */
export interface HandlerRegistry {
  find(eventType: string): HandlersForType;
  readonly types: readonly string[];
}

const byType = <H>(map: HandlerMap | ThinHandlerMap): Map<string, H[]> => {
  // The map's key ties each handler to its event type, so erasing the parameter type here is sound.
  const result = new Map<string, H[]>();
  for (const [type, entry] of Object.entries(map)) {
    const handlers = (Array.isArray(entry) ? entry : [entry]).filter((handler): handler is H => typeof handler === 'function');
    if (handlers.length > 0) result.set(type, handlers);
  }
  return result;
};

/** Builds a registry from the built-in projections and, optionally, the platform's custom handlers. */
export const createHandlerRegistry = (options: { readonly projections: HandlerMap; readonly custom?: HandlerMap; readonly thin?: ThinHandlerMap }): HandlerRegistry => {
  const projections = byType<RegisteredHandler>(options.projections);
  const custom = byType<RegisteredHandler>(options.custom ?? {});
  const thin = byType<RegisteredThinHandler>(options.thin ?? {});
  return {
    find: (eventType) => {
      const thinHandlers = thin.get(eventType);
      return { projections: projections.get(eventType) ?? [], custom: custom.get(eventType) ?? [], ...(thinHandlers === undefined ? {} : { thin: thinHandlers }) };
    },
    types: [...new Set([...projections.keys(), ...custom.keys(), ...thin.keys()])].sort(),
  };
};
