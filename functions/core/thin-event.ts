import type Stripe from 'stripe';
import { ACCOUNT_ID, EVENT_ID, EVENT_TYPE, invalid, isRecord, parseJsonObject } from './stripe-event';
import type { EventEnvelope } from './stripe-event';

/** The object a thin event notification names: what `fetchRelatedObject()` would GET. */
export interface ThinRelatedObject {
  readonly id: string;
  readonly type: string;
  /** Path on the Stripe API, e.g. `/v2/core/accounts/acct_…`. */
  readonly url: string;
}

/**
 * A thin (v2) event notification, validated: `{"object":"v2.core.event","id","type","created":<RFC 3339>,
 * "livemode","context","related_object"}`. It carries no data; the worker fetches the event and the object.
 */
export interface ThinNotification {
  readonly id: string;
  readonly type: string;
  /** RFC 3339 with milliseconds, as Stripe sends it. */
  readonly created: string;
  readonly livemode: boolean;
  /** The account the event happened in (`Stripe-Context` for the fetches); null for the platform's own. */
  readonly context: string | null;
  readonly relatedObject: ThinRelatedObject | null;
  /** On `v1.*` thin events (API 2026-09-30 and later): the snapshot event of the same change, the package's `snapshot_event`. */
  readonly snapshotEvent?: NonNullable<Stripe.V2.Core.EventNotification['snapshot_event']>;
}

/** A parsed thin notification and the envelope every ledger and queue write uses. */
export interface ParsedThinEvent {
  readonly envelope: EventEnvelope;
  readonly notification: ThinNotification;
}

/** Objects of thin event notifications. */
export const THIN_OBJECT = 'v2.core.event';

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const RELATED_URL = /^\/v[12]\/[A-Za-z0-9_/.-]{1,400}$/;

const relatedObjectOf = (value: unknown, eventId: string): ThinRelatedObject | null => {
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) return invalid('`related_object` is not an object', { eventId });
  const { id, type, url } = value;
  if (typeof id !== 'string' || id === '' || typeof type !== 'string' || type === '') return invalid('`related_object` lacks its id or type', { eventId });
  if (typeof url !== 'string' || !RELATED_URL.test(url) || url.includes('..')) return invalid('`related_object.url` is not a Stripe API path', { eventId });
  return { id, type, url };
};

/** Epoch seconds of an RFC 3339 time, as the ledger keeps `created`. */
export const secondsOf = (rfc3339: string): number => Math.floor(Date.parse(rfc3339) / 1000);

/**
 * Validates a thin notification (already JSON-parsed). A v1 snapshot event is refused with a precise reason,
 * as stripe-node's `parseEventNotification` refuses it. Unknown keys and unknown types are accepted.
 */
export const parseThinObject = (body: Record<string, unknown>): ParsedThinEvent => {
  const { id, object, type, created, livemode, context } = body;
  if (object === 'event') invalid('a v1 snapshot event was sent to the thin route; send it to the account or Connect route');
  if (object !== THIN_OBJECT) invalid("`object` is not 'v2.core.event'", { object: typeof object === 'string' ? object.slice(0, 40) : typeof object });
  if (typeof id !== 'string' || !EVENT_ID.test(id)) invalid('`id` is not an evt_ identifier');
  const eventId = id as string;
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) invalid('`type` is missing or malformed', { eventId });
  if (typeof created !== 'string' || !RFC_3339.test(created) || !Number.isFinite(Date.parse(created))) invalid('`created` is not an RFC 3339 time', { eventId });
  if (typeof livemode !== 'boolean') invalid('`livemode` is not a boolean', { eventId });
  if (context !== undefined && context !== null && (typeof context !== 'string' || !ACCOUNT_ID.test(context))) invalid('`context` is not an acct_ identifier', { eventId });
  const notification: ThinNotification = {
    id: eventId,
    type: type as string,
    created: created as string,
    livemode: livemode as boolean,
    context: typeof context === 'string' ? context : null,
    relatedObject: relatedObjectOf(body.related_object, eventId),
    ...(typeof body.snapshot_event === 'string' && EVENT_ID.test(body.snapshot_event) ? { snapshotEvent: body.snapshot_event } : {}),
  };
  const envelope: EventEnvelope = {
    id: eventId,
    type: notification.type,
    created: secondsOf(notification.created),
    livemode: notification.livemode,
    apiVersion: null,
    ...(notification.context === null ? {} : { account: notification.context }),
  };
  return { envelope, notification };
};

/** Parses a thin notification's raw body. */
export const parseThinEvent = (rawBody: string): ParsedThinEvent => parseThinObject(parseJsonObject(rawBody));
