import type Stripe from 'stripe';
import type { Delivery } from './delivery';
import type { HandlerResult } from './handler-registry';
import type { Clock, Logger } from './ports';
import type { RegisteredThinHandler, StripeV2Reader, ThinHandlerInput } from './thin-handler';

/**
 * Runs the projections of a claimed thin event: fetches the full event as the event's context, then hands each
 * projection the event and a reader bound to that context. Fetch failures propagate (a Stripe outage as
 * `StripeUnavailableError`, which the worker retries with back-off).
 */
export const runThinHandlers = async (options: {
  readonly reader: StripeV2Reader;
  readonly parsed: Extract<Delivery, { kind: 'thin' }>;
  readonly handlers: readonly RegisteredThinHandler[];
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<HandlerResult[]> => {
  const { reader, parsed } = options;
  const { notification } = parsed;
  const context = notification.context;
  const event: Stripe.V2.Core.Event = await reader.fetchEvent({ eventId: notification.id, context });
  const input: ThinHandlerInput<Stripe.V2.Core.Event> = {
    notification,
    event,
    account: parsed.envelope.account,
    idempotencyKey: notification.id,
    stripe: {
      fetchAccount: (accountId) => reader.fetchAccount({ accountId, context }),
      fetchPerson: (accountId, personId) => reader.fetchPerson({ accountId, personId, context }),
    },
    clock: options.clock,
    logger: options.logger,
  };
  const results: HandlerResult[] = [];
  for (const handler of options.handlers) results.push(await handler(input));
  return results;
};
