import type Stripe from 'stripe';
import type { HandlerResult } from '../../handler-registry';
import { RecordKey } from '../../state/account-keys';
import { relationshipSummary } from '../projection';
import type { ThinHandlerInput } from '../../thin-handler';
import { v2StateWrite, v2Version } from './v2-versions';

type PersonEvent = Extract<Stripe.V2.Core.Event, { type: 'v2.core.account_person.created' | 'v2.core.account_person.updated' | 'v2.core.account_person.deleted' }>;

/**
 * The person's record, minimised as `person.updated`'s: name and relationship only. Never the date of birth,
 * id numbers, address, e-mail, phone, nationalities, political exposure or terms-of-service acceptance.
 */
export const v2PersonRecord = (person: Stripe.V2.Core.AccountPerson) => ({
  personId: person.id,
  firstName: person.given_name ?? null,
  lastName: person.surname ?? null,
  relationship: relationshipSummary(person.relationship),
  deleted: false,
});

const idsOf = (input: ThinHandlerInput<PersonEvent>): { readonly account: string; readonly person: string } => ({ account: input.event.data.account_id, person: input.event.related_object.id });

/**
 * `v2.core.account_person.created` / `.updated` → the PERSON record, from the person fetched now. Its version is
 * the person's own `updated` time (or the fetch time), so an older fetch never overwrites a newer one. A person
 * deleted since (404) writes nothing: the deletion's own event records it.
 */
export const projectV2PersonUpsert = async (input: ThinHandlerInput<PersonEvent>): Promise<HandlerResult> => {
  const ids = idsOf(input);
  const freshAtMs = input.clock();
  const person = await input.stripe.fetchPerson(ids.account, ids.person);
  if (person === undefined) return { outcome: { person: ids.person, gone: true } };
  const updatedMs = Date.parse(person.updated);
  const version = v2Version({ eventCreated: input.event.created, freshAtMs: Number.isFinite(updatedMs) ? updatedMs : freshAtMs, eventId: input.event.id });
  return {
    writes: [v2StateWrite({ event: input.event, account: ids.account, item: RecordKey.person(person.id), version, set: v2PersonRecord(person) })],
    outcome: { person: person.id },
  };
};

/** `v2.core.account_person.deleted` → a tombstone at the event's time, which older updates cannot overwrite. */
export const projectV2PersonDeleted = async (input: ThinHandlerInput<PersonEvent>): Promise<HandlerResult> => {
  const ids = idsOf(input);
  const version = v2Version({ eventCreated: input.event.created, freshAtMs: 0, eventId: input.event.id });
  return {
    writes: [v2StateWrite({ event: input.event, account: ids.account, item: RecordKey.person(ids.person), version, set: { personId: ids.person, deleted: true, deletedAt: input.event.created } })],
    outcome: { person: ids.person, deleted: true },
  };
};
