import type Stripe from 'stripe';
import { InvalidEventError } from './errors';

/** The two Stripe webhook endpoints of a Connect platform. */
export const WebhookRoute = {
  /** Platform events (`connect: false` endpoint): the platform's own objects, destination charges. */
  account: 'account',
  /** Events of connected accounts (`connect: true` endpoint): always carry a top-level `account`. */
  connect: 'connect',
  /** Thin (v2) event notifications of an event destination with `event_payload: thin`: `@self` and `@accounts`. */
  thin: 'thin',
} as const;
export type WebhookRoute = (typeof WebhookRoute)[keyof typeof WebhookRoute];

/** The envelope fields the pipeline relies on, validated; the rest of the event is left to handlers. */
export interface EventEnvelope {
  readonly id: string;
  readonly type: string;
  readonly created: number;
  readonly livemode: boolean;
  /** The connected account the event belongs to; absent on the platform's own events. */
  readonly account?: string;
  readonly apiVersion: string | null;
}

/** A parsed event: its validated envelope and the whole object, typed by Stripe's `Event` union. */
export interface ParsedEvent {
  readonly envelope: EventEnvelope;
  readonly event: Stripe.Event;
}

export const EVENT_ID = /^evt_[A-Za-z0-9_]{1,250}$/;
export const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,250}$/;
export const EVENT_TYPE = /^[a-z0-9_.[\]]{1,250}$/;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Refuses a body that is not an event the pipeline takes, with the reason (and, when known, the event id). */
export const invalid = (detail: string, context?: Record<string, unknown>): never => {
  throw new InvalidEventError({ detail, context });
};

/**
 * Parses a webhook body into a Stripe v1 event. Accepts unknown keys and unknown event types (Stripe adds
 * both over time); rejects anything that is not a v1 event envelope, with a precise reason.
 */
export const parseEvent = (rawBody: string): ParsedEvent => parseEventObject(parseJsonObject(rawBody));

/** A body parsed as a JSON object, or an `InvalidEventError` saying why not. */
export const parseJsonObject = (rawBody: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch (cause) {
    throw new InvalidEventError({ detail: 'body is not JSON', cause });
  }
  return isRecord(parsed) ? parsed : invalid('body is not a JSON object');
};

/** Validates an already parsed v1 event (e.g. the `detail` of an EventBridge envelope). */
export const parseEventObject = (parsed: Record<string, unknown>): ParsedEvent => ({ envelope: validateEnvelope(parsed), event: parsed as unknown as Stripe.Event });

const validateEnvelope = (body: Record<string, unknown>): EventEnvelope => {
  const { id, object, type, created, livemode, account, data } = body;
  if (object === 'v2.core.event') invalid('a thin (v2) event notification was sent to a snapshot route; send it to the thin route, /webhooks/thin');
  if (object !== 'event') invalid("`object` is not 'event'", { object: typeof object === 'string' ? object.slice(0, 40) : typeof object });
  if (typeof id !== 'string' || !EVENT_ID.test(id)) invalid('`id` is not an evt_ identifier');
  const eventId = id as string;
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) invalid('`type` is missing or malformed', { eventId });
  if (typeof created !== 'number' || !Number.isSafeInteger(created) || created <= 0) {
    invalid('`created` is not a positive integer', { eventId });
  }
  if (typeof livemode !== 'boolean') invalid('`livemode` is not a boolean', { eventId });
  if (account !== undefined && (typeof account !== 'string' || !ACCOUNT_ID.test(account))) {
    invalid('`account` is not an acct_ identifier', { eventId });
  }
  if (!isRecord(data) || !isRecord(data.object)) invalid('`data.object` is missing', { eventId });
  const apiVersion = typeof body.api_version === 'string' ? body.api_version : null;
  return {
    id: eventId,
    type: type as string,
    created: created as number,
    livemode: livemode as boolean,
    apiVersion,
    ...(account === undefined ? {} : { account: account as string }),
  };
};

/**
 * The Connect endpoint only delivers events of connected accounts, which always name the account: an event
 * without one on that route was not sent by the Connect endpoint and is refused.
 */
export const assertRouteAccepts = (options: { readonly route: WebhookRoute; readonly envelope: EventEnvelope }): void => {
  if (options.route === WebhookRoute.connect && options.envelope.account === undefined) {
    invalid('event on the Connect route has no top-level `account`', { eventId: options.envelope.id });
  }
};
