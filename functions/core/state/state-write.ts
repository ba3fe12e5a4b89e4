/**
 * Writes into the Connect state table, as plain data. Handlers return them; the worker commits them together
 * with the ledger's `processed` mark in one transaction, so an event's effects land exactly once.
 */

/** Orders events: `created` (seconds, zero-padded), then the event id. Compared as strings. */
export type EventVersion = string;

/**
 * The version of an event. `created` has one-second resolution and ties happen; they are broken by the
 * event id's byte order. Stripe ids are not time-ordered, so which of two same-second events wins is
 * arbitrary, but it is the same on every delivery and replay, which is what makes the state converge.
 */
export const eventVersion = (event: { readonly created: number; readonly id: string }): EventVersion =>
  `${String(event.created).padStart(12, '0')}#${event.id}`;

/** The seconds part of a version, for display. */
export const versionCreated = (version: EventVersion): number => Number(version.split('#')[0]);

/**
 * One write: replaces the `set` attributes of one facet of one item, only if the event is newer than the
 * facet's current version (`<facet>Version`). An older or equal version leaves the item untouched: the write
 * is stale. `setOnce` attributes are written only where absent (values the platform owns after creation).
 */
export interface StateWrite {
  /** Partition key: one connected account (or the platform) in one mode. */
  readonly partition: string;
  /** Sort key: the record within the partition. */
  readonly item: string;
  /** Names the version attribute, so independent facets of one item are ordered independently. */
  readonly facet: string;
  readonly version: EventVersion;
  readonly set: Readonly<Record<string, unknown>>;
  readonly setOnce?: Readonly<Record<string, unknown>>;
}

/**
 * A condition the whole commit depends on: the account must not have been deauthorized by an event at or
 * before this one, i.e. the `item`'s `versionAttribute` is absent or newer than `version`, or its
 * `authorizationAttribute` (a later re-authorization) lies between that deauthorization and `version`
 * (`isBlockedByDeauthorization`). When it fails the event is recorded `ignored` and none of its writes land.
 */
export interface DeauthorizationGuard {
  readonly partition: string;
  readonly item: string;
  readonly versionAttribute: string;
  readonly authorizationAttribute: string;
  readonly version: EventVersion;
}

/** The facet of records that have only one. */
export const STATE_FACET = 'state';

/** The attribute holding a facet's version. */
export const versionAttribute = (facet: string): string => `${facet}Version`;

/** Refuses two writes to one record in one commit: DynamoDB transactions allow one operation per item. */
export const assertDistinctRecords = (writes: readonly StateWrite[]): void => {
  const seen = new Set<string>();
  for (const write of writes) {
    const key = `${write.partition}|${write.item}`;
    if (seen.has(key)) throw new Error(`two handlers wrote the same record ${write.item} of ${write.partition} for one event`);
    seen.add(key);
  }
};
