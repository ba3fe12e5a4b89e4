import type Stripe from 'stripe';
import { recordPartitionOf } from '../../state/account-keys';
import type { EventVersion, StateWrite } from '../../state/state-write';
import { STATE_FACET } from '../../state/state-write';

/**
 * The version of a state write made from a fetched v2 object. A thin event carries no snapshot: the worker
 * fetches the object's current state, so the write describes the object as of the fetch, not as of the event.
 * Its version is therefore the later of the event's `created` and the object's freshness (its own `updated`
 * where it has one, else the time just before the fetch), in milliseconds: `<seconds, 12 digits>.<ms>#<event id>`.
 * Compared as strings it orders after a v1 snapshot of the same second, which it may only be newer than.
 */
export const v2Version = (options: { readonly eventCreated: string; readonly freshAtMs: number; readonly eventId: string }): EventVersion => {
  const ms = Math.max(Date.parse(options.eventCreated), options.freshAtMs);
  const seconds = Math.floor(ms / 1000);
  return `${String(seconds).padStart(12, '0')}.${String(ms % 1000).padStart(3, '0')}#${options.eventId}`;
};

/** A state write from a v2 object into the record's partition (as v1 writes choose it) in the event's mode. */
export const v2StateWrite = (options: {
  readonly event: Stripe.V2.Core.Event;
  readonly account: string;
  readonly item: string;
  readonly version: EventVersion;
  readonly set: Record<string, unknown>;
  /** @default STATE_FACET */
  readonly facet?: string;
}): StateWrite => ({
  partition: recordPartitionOf({ account: options.account, livemode: options.event.livemode, item: options.item }),
  item: options.item,
  facet: options.facet ?? STATE_FACET,
  version: options.version,
  // `sourceEventCreated` is epoch seconds, as for v1 events, so the view prints it the same way.
  set: { ...options.set, sourceEventId: options.event.id, sourceEventCreated: Math.floor(Date.parse(options.event.created) / 1000) },
});
