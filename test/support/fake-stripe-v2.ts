import type Stripe from 'stripe';
import { StripeUnavailableError } from '../../functions/core/errors';
import type { StripeV2Reader } from '../../functions/core/thin-handler';

/** One read the worker made, with the context it sent. */
export interface V2Read {
  readonly what: 'event' | 'account' | 'person' | 'snapshot';
  readonly id: string;
  readonly context: string | null;
}

/** An in-memory Stripe v2 API: events, accounts and persons it serves, and outages it can simulate. */
export interface FakeStripeV2 extends StripeV2Reader {
  readonly reads: V2Read[];
  readonly events: Map<string, Record<string, unknown>>;
  readonly accounts: Map<string, Record<string, unknown>>;
  readonly persons: Map<string, Record<string, unknown>>;
  /** v1 snapshot events by id. */
  readonly snapshots: Map<string, Record<string, unknown>>;
  /** How many of the next reads fail as a Stripe outage (429/5xx). */
  unavailableFor: number;
}

const clone = <T>(value: Record<string, unknown>): T => JSON.parse(JSON.stringify(value)) as T;

export const createFakeStripeV2 = (): FakeStripeV2 => {
  const fake: FakeStripeV2 = {
    reads: [],
    events: new Map(),
    accounts: new Map(),
    persons: new Map(),
    snapshots: new Map(),
    unavailableFor: 0,
    async fetchEvent({ eventId, context }) {
      return read<Stripe.V2.Core.Event>('event', eventId, context, fake.events.get(eventId));
    },
    async fetchAccount({ accountId, context }) {
      return read<Stripe.V2.Core.Account>('account', accountId, context, fake.accounts.get(accountId));
    },
    async fetchSnapshotEvent({ eventId, context }) {
      return JSON.stringify(read<Record<string, unknown>>('snapshot', eventId, context, fake.snapshots.get(eventId)), null, 2);
    },
    async fetchPerson({ personId, context }) {
      const person = fake.persons.get(personId);
      return person === undefined ? (record('person', personId, context), undefined) : read<Stripe.V2.Core.AccountPerson>('person', personId, context, person);
    },
  };
  const record = (what: V2Read['what'], id: string, context: string | null): void => {
    fake.reads.push({ what, id, context });
    if (fake.unavailableFor > 0) {
      fake.unavailableFor -= 1;
      throw new StripeUnavailableError({ detail: `GET ${what} ${id}: 429 rate limited (fake)` });
    }
  };
  const read = <T>(what: V2Read['what'], id: string, context: string | null, value: Record<string, unknown> | undefined): T => {
    record(what, id, context);
    if (value === undefined) throw Object.assign(new Error(`No such ${what}: ${id}`), { statusCode: 404 });
    return clone<T>(value);
  };
  return fake;
};
