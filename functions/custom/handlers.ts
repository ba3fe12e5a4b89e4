import type { HandlerMap } from '../core/handler-registry';

/**
 * The platform's own event handlers: the one place to react to any Stripe event type without touching the
 * worker. Each runs after the built-in state projections of its type and receives the typed event, the
 * connected account id, an idempotency key for side effects and a Stripe client acting as that account.
 * Throwing fails the event: it is retried on its next delivery, and its state writes are not committed.
 * See the README's "Your own handlers" for an example.
 */
export const customHandlers: HandlerMap = {};
