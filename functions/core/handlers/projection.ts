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

/** The roles the view keeps of a person's relationship (v1 `Person` or v2 `AccountPerson`): nothing else, no ownership share. */
export const relationshipSummary = (
  relationship: { readonly representative?: boolean | null; readonly owner?: boolean | null; readonly director?: boolean | null; readonly executive?: boolean | null; readonly title?: string | null } | null | undefined,
) => ({
  representative: relationship?.representative ?? false,
  owner: relationship?.owner ?? false,
  director: relationship?.director ?? false,
  executive: relationship?.executive ?? false,
  title: relationship?.title ?? null,
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
