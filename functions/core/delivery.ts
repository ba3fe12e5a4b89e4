import type Stripe from 'stripe';
import { InvalidEventError } from './errors';
import type { LedgerEventFacts } from './ports';
import { isRecord, parseEventObject, parseJsonObject } from './stripe-event';
import type { EventEnvelope } from './stripe-event';
import { THIN_OBJECT, parseThinObject } from './thin-event';
import type { ThinNotification } from './thin-event';

/** A queue message's event: a snapshot (v1) event or a thin (v2) notification, whichever way it arrived. */
export type Delivery =
  | { readonly kind: 'snapshot'; readonly envelope: EventEnvelope; readonly event: Stripe.Event; readonly via: DeliveryChannel }
  | { readonly kind: 'thin'; readonly envelope: EventEnvelope; readonly notification: ThinNotification; readonly via: DeliveryChannel };

/** How the message reached the queue: straight from a webhook route (or a replay), or by an EventBridge rule. */
export type DeliveryChannel = 'queue' | 'eventbridge';

/** Event sources of Stripe's Amazon EventBridge destinations: `aws.partner/stripe.com/ed_…`. */
export const STRIPE_PARTNER_SOURCE_PREFIX = 'aws.partner/stripe.com';

/**
 * An EventBridge event whose source is Stripe's partner event source: its `detail` is the Stripe event
 * (snapshot or thin), exactly as a webhook would have carried it. Returns undefined for anything else.
 */
const eventBridgeDetail = (body: Record<string, unknown>): Record<string, unknown> | undefined => {
  if (typeof body['detail-type'] !== 'string' || typeof body.source !== 'string' || !('detail' in body)) return undefined;
  if (!body.source.startsWith(`${STRIPE_PARTNER_SOURCE_PREFIX}/`)) throw new InvalidEventError({ detail: 'EventBridge event not from a Stripe partner event source', context: { source: body.source.slice(0, 80) } });
  if (!isRecord(body.detail)) throw new InvalidEventError({ detail: 'EventBridge event has no `detail` object' });
  return body.detail;
};

/** What the ledger records of a delivery's event, whichever way it arrived. */
export const ledgerFactsOf = ({ envelope }: Delivery): LedgerEventFacts => ({
  eventId: envelope.id,
  eventType: envelope.type,
  livemode: envelope.livemode,
  created: envelope.created,
  ...(envelope.account === undefined ? {} : { account: envelope.account }),
});

/** Parses a queue message body: an EventBridge envelope is unwrapped, then the event is a snapshot or a thin one. */
export const parseDelivery = (body: string): Delivery => {
  const parsed = parseJsonObject(body);
  const detail = eventBridgeDetail(parsed);
  const via: DeliveryChannel = detail === undefined ? 'queue' : 'eventbridge';
  const event = detail ?? parsed;
  if (event.object === THIN_OBJECT) return { kind: 'thin', ...parseThinObject(event), via };
  return { kind: 'snapshot', ...parseEventObject(event), via };
};
