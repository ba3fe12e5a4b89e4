import { projectAccountUpdated } from '../../functions/core/handlers/account-updated';
import { projectPersonUpdated } from '../../functions/core/handlers/person-updated';
import { minimisePayload } from '../../functions/core/payload-minimisation';
import { loadFixtureEvent } from '../support/event-factory';
import { fixtureEvent, objectAt, project } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';
import { eventBridgeEnvelope } from '../support/thin-worker-harness';
import { createWorkerHarness, incomingRecord } from '../support/worker-harness';

/** Values that must never be stored: each one appears in the personal data below. */
const PERSONAL_VALUES = ['1975', 'Chawton', 'GU34', 'jane@example.com', '+441420000000', 'ID-000000000', 'SSN-6789', 'file_1FrontOfIdDocument', '203.0.113.9'];

const personalData = {
  dob: { day: 16, month: 12, year: 1975 },
  address: { line1: '4 Chawton Lane', city: 'Alton', postal_code: 'GU34 1SD', country: 'GB' },
  email: 'jane@example.com',
  phone: '+441420000000',
  id_number: 'ID-000000000',
  ssn_last_4: 'SSN-6789',
  nationality: 'GB',
};

/** person.updated as Stripe sends it once the account holder filled everything in. */
const personEvent = (): EditableEvent =>
  fixtureEvent('person.updated', (event) => {
    const person = event.data.object;
    Object.assign(person, { ...personalData, first_name: 'Jane', last_name: 'Austen', id_number_provided: true });
    Object.assign(objectAt(objectAt(person, 'verification'), 'document'), { front: 'file_1FrontOfIdDocument' });
    Object.assign(objectAt(objectAt(person, 'additional_tos_acceptances'), 'account'), { ip: '203.0.113.9', date: 1787238000 });
    Object.assign(objectAt(person, 'relationship'), { owner: true, title: 'CEO', percent_ownership: 60 });
    Object.assign(objectAt(person, 'requirements'), { currently_due: ['person.dob.day'] });
    Object.assign(event.data, { previous_attributes: { address: { line1: '1 Old Street' }, email: 'old@example.com', verification: { status: 'pending' } } });
  });

/** account.updated of an individual account, whose `individual` holds the account holder's personal data. */
const individualAccountEvent = (): EditableEvent =>
  fixtureEvent('account.updated', (event) => {
    event.data.object.individual = { object: 'person', id: 'person_1Individual', ...personalData };
    Object.assign(event.data, { previous_attributes: { individual: { address: { line1: '1 Old Street' } } } });
  });

describe('payload minimisation: what the ledger keeps for replay', () => {
  test('a person.updated payload keeps no date of birth, address, e-mail, phone, id number, document or IP', () => {
    // Prepare
    const body = JSON.stringify(personEvent());

    // Act
    const stored = minimisePayload('person.updated', body);

    // Assess
    for (const value of PERSONAL_VALUES) expect(stored).not.toContain(value);
    expect(stored).not.toContain('old@example.com');
  });

  test('the minimised person.updated projects exactly the same PERSON write as the original', async () => {
    // Prepare
    const original = personEvent();
    const minimised = JSON.parse(minimisePayload('person.updated', JSON.stringify(original))) as EditableEvent;

    // Act
    const [fromOriginal, fromMinimised] = await Promise.all([project('person.updated', projectPersonUpdated, original), project('person.updated', projectPersonUpdated, minimised)]);

    // Assess
    expect(fromMinimised).toEqual(fromOriginal);
    expect(fromOriginal.writes?.[0]?.set).toMatchObject({ firstName: 'Jane', relationship: { owner: true, title: 'CEO' }, requirements: { currentlyDue: ['person.dob.day'] } });
  });

  test('the minimised person.updated keeps the event envelope: id, type, account, created, livemode', () => {
    // Prepare
    const original = personEvent();

    // Act
    const minimised = JSON.parse(minimisePayload('person.updated', JSON.stringify(original))) as EditableEvent;

    // Assess
    for (const key of ['id', 'object', 'type', 'account', 'created', 'livemode', 'api_version']) expect(minimised[key]).toEqual(original[key]);
    expect((minimised.data as Record<string, unknown>).previous_attributes).toEqual({ verification: { status: 'pending' } });
  });

  test('an individual account\'s account.updated keeps no personal data of the individual', () => {
    // Prepare
    const body = JSON.stringify(individualAccountEvent());

    // Act
    const stored = minimisePayload('account.updated', body);

    // Assess
    for (const value of PERSONAL_VALUES.slice(0, 7)) expect(stored).not.toContain(value);
    expect(stored).not.toContain('1 Old Street');
  });

  test('the minimised account.updated projects exactly the same PROFILE write as the original', async () => {
    // Prepare
    const original = individualAccountEvent();
    const minimised = JSON.parse(minimisePayload('account.updated', JSON.stringify(original))) as EditableEvent;

    // Act
    const [fromOriginal, fromMinimised] = await Promise.all([project('account.updated', projectAccountUpdated, original), project('account.updated', projectAccountUpdated, minimised)]);

    // Assess
    expect(fromMinimised).toEqual(fromOriginal);
  });

  test.each(['payout.failed', 'balance.available', 'payment_intent.succeeded.direct', 'account.external_account.updated'] as const)('a %s payload is stored byte for byte', (name) => {
    // Prepare
    const body = loadFixtureEvent(name);
    const type = String((JSON.parse(body) as { type: string }).type);

    // Act
    const stored = minimisePayload(type, body);

    // Assess
    expect(stored).toBe(body);
  });

  test('an account.updated without an individual is stored byte for byte', () => {
    // Prepare
    const body = loadFixtureEvent('account.updated');

    // Act
    const stored = minimisePayload('account.updated', body);

    // Assess
    expect(stored).toBe(body);
  });

  test('an account.updated naming "individual" only as its business_type is stored byte for byte', () => {
    // Prepare
    const body = JSON.stringify(fixtureEvent('account.updated', (event) => Object.assign(event.data.object, { business_type: 'individual' })), null, 2);

    // Act
    const stored = minimisePayload('account.updated', body);

    // Assess
    expect(stored).toBe(body);
  });

  test('a body that is not JSON is returned unchanged', () => {
    // Prepare
    const body = '{"id": "evt_1", "type": "person.updated", ';

    // Act
    const stored = minimisePayload('person.updated', body);

    // Assess
    expect(stored).toBe(body);
  });

  test('a person.updated delivered by Amazon EventBridge is minimised inside its envelope, which is kept', () => {
    // Prepare
    const body = eventBridgeEnvelope(personEvent() as unknown as Record<string, unknown>);

    // Act
    const stored = JSON.parse(minimisePayload('person.updated', body)) as { source: string; detail: { id: string; data: { object: Record<string, unknown> } } };

    // Assess
    for (const value of PERSONAL_VALUES) expect(JSON.stringify(stored)).not.toContain(value);
    expect(stored.source).toMatch(/^aws\.partner\/stripe\.com\//);
    expect(stored.detail.data.object).toMatchObject({ first_name: 'Jane', last_name: 'Austen', relationship: { owner: true, title: 'CEO' } });
  });
});

describe('payload minimisation in the worker', () => {
  test('the ledger keeps the minimised person.updated, and replaying it projects the same state', async () => {
    // Prepare
    const first = createWorkerHarness({ custom: {} });
    const event = personEvent();
    await first.process(incomingRecord(JSON.stringify(event)));
    const stored = await first.ledger.payloadOf({ eventId: String(event.id), nowMs: first.clock.now() });
    const replayed = createWorkerHarness({ custom: {} });

    // Act
    await replayed.process(incomingRecord(stored ?? ''));

    // Assess
    for (const value of PERSONAL_VALUES) expect(stored).not.toContain(value);
    const partition = `ACCOUNT#${String(event.account)}#test`;
    expect(await replayed.state.partition(partition)).toEqual(await first.state.partition(partition));
    expect(await first.state.partition(partition)).not.toEqual([]);
  });
});
