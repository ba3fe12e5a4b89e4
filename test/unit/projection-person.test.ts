import { projectPersonUpdated } from '../../functions/core/handlers/person-updated';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, objectAt, project, writeTo } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';

const PERSON = 'person_1Pgc6oB7WZ01zgkWnmLL70wS';
const EMPTY_REQUIREMENTS = { currentlyDue: [], eventuallyDue: [], pastDue: [], pendingVerification: [], errors: [] };
const PERSON_FIELDS = ['personId', 'firstName', 'lastName', 'relationship', 'verificationStatus', 'verificationDetailsCode', 'requirements', 'futureRequirements', 'sourceEventId', 'sourceEventCreated'];

/** The PERSON write of the person.updated fixture after `edit`. */
const personWrite = async (edit?: (event: EditableEvent, person: Record<string, unknown>) => void) =>
  writeTo(await project('person.updated', projectPersonUpdated, fixtureEvent('person.updated', (event) => edit?.(event, event.data.object))), `PERSON#${PERSON}`);

/** A person as Stripe sends it once the account holder filled everything in (values Stripe never sends are added too). */
const withPersonalData = (_: EditableEvent, person: Record<string, unknown>): void => {
  Object.assign(person, {
    first_name: 'Jane',
    last_name: 'Austen',
    dob: { day: 16, month: 12, year: 1975 },
    address: { line1: '4 Chawton Lane', city: 'Alton', postal_code: 'GU34 1SD', country: 'GB' },
    registered_address: { line1: '4 Chawton Lane', city: 'Alton' },
    email: 'jane@example.com',
    phone: '+441420000000',
    id_number: '000000000',
    id_number_provided: true,
    ssn_last_4: '6789',
    ssn_last_4_provided: true,
    nationality: 'GB',
  });
  Object.assign(objectAt(objectAt(person, 'verification'), 'document'), { front: 'file_1FrontOfIdDocument', back: 'file_1BackOfIdDocument' });
};

describe('person.updated projection: personal data', () => {
  test('the PERSON record holds only name, relationship, verification and requirements', async () => {
    // Prepare
    const edit = withPersonalData;

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(Object.keys(write.set).sort()).toEqual([...PERSON_FIELDS].sort());
    expect(write.set).toMatchObject({ firstName: 'Jane', lastName: 'Austen' });
  });

  test('no date of birth, id number, SSN, address, contact or document id reaches the record', async () => {
    // Prepare
    const edit = withPersonalData;

    // Act
    const write = await personWrite(edit);

    // Assess
    const text = JSON.stringify(write);
    for (const secret of ['1975', 'Chawton', 'GU34', '000000000', '6789', 'jane@example.com', '+44', 'file_1', 'dob', 'ssn', 'address', 'id_number']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('person.updated projection: optional fields missing', () => {
  test('requirements null and future_requirements absent give empty requirement lists', async () => {
    // Prepare
    const edit = (_: EditableEvent, person: Record<string, unknown>) => {
      person.requirements = null;
      delete person.future_requirements;
    };

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(write.set).toMatchObject({ requirements: EMPTY_REQUIREMENTS, futureRequirements: EMPTY_REQUIREMENTS });
  });

  test('relationship and verification absent give false roles, no title and no verification status', async () => {
    // Prepare
    const edit = (_: EditableEvent, person: Record<string, unknown>) => {
      delete person.relationship;
      delete person.verification;
    };

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(write.set).toMatchObject({
      relationship: { representative: false, owner: false, director: false, executive: false, title: null },
      verificationStatus: null,
      verificationDetailsCode: null,
    });
  });

  test('an older API version without future_requirements and newer relationship keys still projects every field', async () => {
    // Prepare
    const edit = (event: EditableEvent, person: Record<string, unknown>) => {
      event.api_version = '2019-02-19';
      delete person.future_requirements;
      delete person.additional_tos_acceptances;
      const relationship = objectAt(person, 'relationship');
      delete relationship.authorizer;
      delete relationship.legal_guardian;
      delete relationship.executive;
    };

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(write.set).toMatchObject({ futureRequirements: EMPTY_REQUIREMENTS, relationship: { executive: false }, verificationStatus: 'unverified' });
    expect(Object.values(write.set)).not.toContain(undefined);
  });
});

describe('person.updated projection: envelope variations', () => {
  test('unknown extra keys and request: null project the same record', async () => {
    // Prepare
    const baseline = await personWrite();
    const edit = (event: EditableEvent, person: Record<string, unknown>) => {
      event.request = null;
      event.context = 'unknown-envelope-key';
      person.unknown_person_field = 'unknown-object-key';
    };

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(write).toEqual(baseline);
  });

  test("without a top-level account the record goes to the person's own account", async () => {
    // Prepare
    const edit = (event: EditableEvent, person: Record<string, unknown>) => {
      delete event.account;
      person.account = 'acct_1OtherAccount00';
    };

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(write.partition).toBe('ACCOUNT#acct_1OtherAccount00#test');
  });

  test('relationship roles and title are copied', async () => {
    // Prepare
    const edit = (_: EditableEvent, person: Record<string, unknown>) => {
      Object.assign(objectAt(person, 'relationship'), { representative: true, owner: true, executive: true, title: 'CEO', percent_ownership: 60 });
    };

    // Act
    const write = await personWrite(edit);

    // Assess
    expect(write).toMatchObject({ partition: `ACCOUNT#${FIXTURE_ACCOUNT}#test`, set: { relationship: { representative: true, owner: true, director: false, executive: true, title: 'CEO' } } });
  });
});
