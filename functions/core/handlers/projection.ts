import type Stripe from 'stripe';
import { recordPartitionOf } from '../state/account-keys';
import { STATE_FACET, eventVersion } from '../state/state-write';
import type { StateWrite } from '../state/state-write';

/** A state write versioned by `event`, into the partition of `account` in the event's mode. */
export const stateWrite = (options: {
  readonly event: Stripe.Event;
  readonly account: string | undefined;
  readonly item: string;
  readonly set: Record<string, unknown>;
  readonly setOnce?: Record<string, unknown>;
  /** @default STATE_FACET */
  readonly facet?: string;
  /** @default the record's own partition (`recordPartitionOf`): the profile's, or a write shard for high-volume records */
  readonly partition?: string;
}): StateWrite => ({
  partition: options.partition ?? recordPartitionOf({ account: options.account, livemode: options.event.livemode, item: options.item }),
  item: options.item,
  facet: options.facet ?? STATE_FACET,
  version: eventVersion(options.event),
  set: { ...options.set, sourceEventId: options.event.id, sourceEventCreated: options.event.created },
  ...(options.setOnce === undefined ? {} : { setOnce: options.setOnce }),
});

/** Epoch seconds as an ISO string; null stays null (older API versions omit many timestamps). */
export const isoFromSeconds = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;

/** A list field that older API versions may omit or null. */
export const listOf = <T>(value: readonly T[] | null | undefined): readonly T[] => value ?? [];

/** The id of an expandable field, whether Stripe sent the id or the expanded object. */
export const idOf = (value: string | { readonly id: string } | null | undefined): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : value.id;

type Requirements = Partial<Stripe.Account.Requirements> | Partial<Stripe.Person.Requirements> | null | undefined;

/** The requirement lists every requirement-bearing object shares, with errors reduced to code and field. */
export const summariseRequirements = (requirements: Requirements) => ({
  currentlyDue: listOf(requirements?.currently_due),
  eventuallyDue: listOf(requirements?.eventually_due),
  pastDue: listOf(requirements?.past_due),
  pendingVerification: listOf(requirements?.pending_verification),
  errors: listOf(requirements?.errors).map((error) => ({ code: error.code, requirement: error.requirement, reason: error.reason })),
});
