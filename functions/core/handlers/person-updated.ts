import type { EventHandler } from '../handler-registry';
import { RecordKey } from '../state/account-keys';
import { relationshipSummary, stateWrite, summariseRequirements } from './projection';

/**
 * `person.updated` → a PERSON record under the account: name, relationship, verification status and
 * requirements. Never the date of birth, id numbers, address or document ids.
 */
export const projectPersonUpdated: EventHandler<'person.updated'> = async ({ event, account }) => {
  const person = event.data.object;
  const owner = account ?? person.account;
  return {
    writes: [
      stateWrite({
        event,
        account: owner,
        item: RecordKey.person(person.id),
        set: {
          personId: person.id,
          firstName: person.first_name ?? null,
          lastName: person.last_name ?? null,
          relationship: relationshipSummary(person.relationship),
          verificationStatus: person.verification?.status ?? null,
          verificationDetailsCode: person.verification?.details_code ?? null,
          requirements: summariseRequirements(person.requirements),
          futureRequirements: summariseRequirements(person.future_requirements),
        },
      }),
    ],
    outcome: { person: person.id, verificationStatus: person.verification?.status ?? null },
  };
};
