import type Stripe from 'stripe';
import type { EventHandler, EventOfType, HandlerInput, HandlerResult, StripeEventType } from '../../functions/core/handler-registry';
import type { StateWrite } from '../../functions/core/state/state-write';
import { parseEvent } from '../../functions/core/stripe-event';
import { loadFixtureEvent } from './event-factory';
import type { FixtureName } from './event-factory';
import { createRecordingLogger } from './fakes';

/** A fixture event as editable JSON: tests drop, null or add keys before handing it to a projection. */
export type EditableEvent = Record<string, unknown> & { data: { object: Record<string, unknown> } };

/** A fresh, editable copy of a shared fixture. */
export const fixtureEvent = (name: FixtureName, edit?: (event: EditableEvent) => void): EditableEvent => {
  const event = JSON.parse(loadFixtureEvent(name)) as EditableEvent;
  edit?.(event);
  return event;
};

/** The nested object at `key` of `parent`, to edit in place. */
export const objectAt = (parent: Record<string, unknown>, key: string): Record<string, unknown> => {
  const value = parent[key];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${key} is not an object`);
  return value as Record<string, unknown>;
};

/**
 * The input the worker would pass for `event`, parsed the way the worker parses it and checked to be of
 * `type`. Its `stripe` throws: projections are pure and must never call Stripe.
 */
export const projectionInput = <T extends StripeEventType>(type: T, event: Record<string, unknown>): HandlerInput<EventOfType<T>> => {
  const parsed = parseEvent(JSON.stringify(event));
  if (parsed.event.type !== type) throw new Error(`event is ${parsed.event.type}, not ${type}`);
  return {
    event: parsed.event as EventOfType<T>,
    account: parsed.envelope.account,
    idempotencyKey: parsed.envelope.id,
    logger: createRecordingLogger(),
    get stripe(): Stripe {
      throw new Error('a projection used the Stripe client');
    },
  };
};

/** Runs a projection on `event`. */
export const project = <T extends StripeEventType>(type: T, handler: EventHandler<T>, event: Record<string, unknown>): Promise<HandlerResult> =>
  handler(projectionInput(type, event));

/** The writes of a result, failing loudly when there are none. */
export const writesOf = (result: HandlerResult): readonly StateWrite[] => {
  if (result.writes === undefined) throw new Error('the projection returned no writes');
  return result.writes;
};

/** The one write to `item`. */
export const writeTo = (result: HandlerResult, item: string): StateWrite => {
  const matching = writesOf(result).filter((write) => write.item === item);
  if (matching.length !== 1) throw new Error(`expected one write to ${item}, found ${matching.length}`);
  return matching[0] as StateWrite;
};

/**
 * A `payout.paid` event made from the payout.failed fixture (there is no shared fixture for it): the same
 * payout and destination, paid, one day later unless `created` says otherwise.
 */
export const payoutPaidEvent = (options: { readonly id?: string; readonly created?: number; readonly payout?: string } = {}): EditableEvent =>
  fixtureEvent('payout.failed', (event) => {
    event.id = options.id ?? 'evt_1S4B7pB7WZ01zgkWp2Qa9ZcL';
    event.type = 'payout.paid';
    event.created = options.created ?? 1787670847;
    Object.assign(event.data.object, {
      id: options.payout ?? event.data.object.id,
      status: 'paid',
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
    });
  });
