import { InvalidEventError } from '../../functions/core/errors';
import { assertRouteAccepts, parseEvent, WebhookRoute } from '../../functions/core/stripe-event';
import type { EventEnvelope } from '../../functions/core/stripe-event';
import { captureError } from '../support/capture-error';
import { FIXTURE_ACCOUNT, FIXTURE_NAMES, loadFixtureEvent, makeEvent } from '../support/event-factory';

const body = (event: Record<string, unknown>): string => JSON.stringify(event, null, 2);

/** The envelope each shared fixture must parse into. */
const FIXTURE_ENVELOPES: Readonly<Record<(typeof FIXTURE_NAMES)[number], Omit<EventEnvelope, 'livemode' | 'apiVersion'>>> = {
  'account.updated': { id: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD', type: 'account.updated', created: 1787238727, account: FIXTURE_ACCOUNT },
  'account.application.deauthorized': { id: 'evt_1S3kR2B7WZ01zgkWn8Vd4TqE', type: 'account.application.deauthorized', created: 1787674327, account: FIXTURE_ACCOUNT },
  'person.updated': { id: 'evt_1S3kQ9B7WZ01zgkW5hYt2MwK', type: 'person.updated', created: 1787238787, account: FIXTURE_ACCOUNT },
  'account.external_account.updated': { id: 'evt_1S4A2mB7WZ01zgkWq7Ue3JrN', type: 'account.external_account.updated', created: 1787584452, account: FIXTURE_ACCOUNT },
  'payout.failed': { id: 'evt_1S4A2lB7WZ01zgkWd1Rf8XnS', type: 'payout.failed', created: 1787584447, account: FIXTURE_ACCOUNT },
  'payment_intent.succeeded.direct': { id: 'evt_3S3kS1B7WZ01zgkW0uH5sV2d', type: 'payment_intent.succeeded', created: 1787239029, account: FIXTURE_ACCOUNT },
  'payment_intent.succeeded.destination': { id: 'evt_3S3kT4Lq3Xv8RtYz1kD7mQ0r', type: 'payment_intent.succeeded', created: 1787239149 },
  'balance.available': { id: 'evt_1S3kU8B7WZ01zgkWa4Nc6YbP', type: 'balance.available', created: 1787239627, account: FIXTURE_ACCOUNT },
};

describe('parseEvent: accepted bodies', () => {
  test.each(FIXTURE_NAMES)('the %s fixture parses into its envelope', (name) => {
    // Prepare
    const raw = loadFixtureEvent(name);

    // Act
    const { envelope } = parseEvent(raw);

    // Assess
    expect(envelope).toEqual({ ...FIXTURE_ENVELOPES[name], livemode: false, apiVersion: '2026-07-29.dahlia' });
  });

  test('the parsed event is the whole body, not just the envelope', () => {
    // Prepare
    const raw = loadFixtureEvent('payout.failed');

    // Act
    const { event } = parseEvent(raw);

    // Assess
    expect(event).toEqual(JSON.parse(raw));
  });

  test('the destination-charge fixture has no account in its envelope', () => {
    // Prepare
    const raw = loadFixtureEvent('payment_intent.succeeded.destination');

    // Act
    const { envelope } = parseEvent(raw);

    // Assess
    expect(envelope).not.toHaveProperty('account');
  });

  test('unknown extra keys at the top level and in data are accepted and kept', () => {
    // Prepare
    const event = makeEvent({ context: 'acct_1PgafTB7WZ01zgkW', future_field: { nested: [1, 2] } });

    // Act
    const parsed = parseEvent(body(event));

    // Assess
    expect(parsed.envelope.id).toBe(event.id);
    expect(parsed.event).toMatchObject({ future_field: { nested: [1, 2] } });
  });

  test('an event type this build does not know is accepted', () => {
    // Prepare
    const event = makeEvent({ type: 'v1.billing.meter.no_meter_found_2099' });

    // Act
    const { envelope } = parseEvent(body(event));

    // Assess
    expect(envelope.type).toBe('v1.billing.meter.no_meter_found_2099');
  });

  test('request: null (an automatic event) is accepted', () => {
    // Prepare
    const event = makeEvent({ request: null });

    // Act
    const { envelope } = parseEvent(body(event));

    // Assess
    expect(envelope.id).toBe(event.id);
  });

  test.each([
    ['missing', undefined],
    ['null', null],
  ])('api_version %s is accepted and read as null', (_label, apiVersion) => {
    // Prepare
    const event = makeEvent({ api_version: apiVersion });

    // Act
    const { envelope } = parseEvent(body(event));

    // Assess
    expect(envelope.apiVersion).toBeNull();
  });

  test('livemode true is carried into the envelope', () => {
    // Prepare
    const event = makeEvent({ livemode: true });

    // Act
    const { envelope } = parseEvent(body(event));

    // Assess
    expect(envelope.livemode).toBe(true);
  });
});

describe('parseEvent: rejected bodies', () => {
  test.each([
    ['empty text', ''],
    ['plain text', 'hello'],
    ['truncated JSON', '{"id": "evt_1"'],
    ['JSON null', 'null'],
    ['a JSON string', '"evt_1S3kQ7B7WZ01zgkWc2Lx9PaD"'],
    ['a JSON number', '42'],
    ['a JSON array', '[{"object":"event"}]'],
    ['an unrelated object', '{"hello":1}'],
  ])('%s is rejected with InvalidEventError', (_label, raw) => {
    // Prepare
    const text = raw;

    // Act
    const error = captureError(() => parseEvent(text));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
  });

  test.each<[string, Record<string, unknown>]>([
    ["object 'v2.core.event' (a thin event)", { object: 'v2.core.event' }],
    ["object 'charge'", { object: 'charge' }],
    ['object missing', { object: undefined }],
    ['id missing', { id: undefined }],
    ['id not a string', { id: 12345 }],
    ['id without the evt_ prefix', { id: 'ch_3S3kS1B7WZ01zgkW0uH5sV2d' }],
    ['id with characters outside [A-Za-z0-9_]', { id: 'evt_1S3k-Q7B7' }],
    ['id that is only the prefix', { id: 'evt_' }],
    ['type missing', { type: undefined }],
    ['type empty', { type: '' }],
    ['type not a string', { type: ['account.updated'] }],
    ['type with upper-case letters', { type: 'Account.Updated' }],
    ['type with a space', { type: 'account updated' }],
    ['created missing', { created: undefined }],
    ['created a string', { created: '1787238727' }],
    ['created zero', { created: 0 }],
    ['created negative', { created: -1 }],
    ['created fractional', { created: 1787238727.5 }],
    ['livemode missing', { livemode: undefined }],
    ['livemode a string', { livemode: 'false' }],
    ['account not an acct_ id', { account: 'ca_QXg3kVb2Yk4mZ8rTqP1nW6sJ0hLdF9aC' }],
    ['account a number', { account: 7 }],
    ['account null', { account: null }],
    ['data missing', { data: undefined }],
    ['data.object missing', { data: { previous_attributes: {} } }],
    ['data.object an array', { data: { object: [] } }],
  ])('an envelope with %s is rejected with InvalidEventError', (_label, overrides) => {
    // Prepare
    const raw = body(makeEvent(overrides));

    // Act
    const error = captureError(() => parseEvent(raw));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
  });

  test('the error names the reason without echoing the body', () => {
    // Prepare
    const raw = body(makeEvent({ object: 'v2.core.event', secret_note: 'do-not-echo' }));

    // Act
    const error = captureError(() => parseEvent(raw));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).code).toBe('event.invalid');
    expect((error as InvalidEventError).message).toMatch(/thin \(v2\) event/);
    expect(JSON.stringify({ message: (error as Error).message, context: (error as InvalidEventError).context })).not.toContain('do-not-echo');
  });
});

describe('assertRouteAccepts', () => {
  const envelopeWith = (account?: string): EventEnvelope => ({
    id: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD',
    type: 'account.updated',
    created: 1787238727,
    livemode: false,
    apiVersion: '2026-07-29.dahlia',
    ...(account === undefined ? {} : { account }),
  });

  test('the Connect route accepts an event that names its connected account', () => {
    // Prepare
    const envelope = envelopeWith(FIXTURE_ACCOUNT);

    // Act
    const error = captureError(() => assertRouteAccepts({ route: WebhookRoute.connect, envelope }));

    // Assess
    expect(error).toBeUndefined();
  });

  test('the Connect route refuses an event without a top-level account', () => {
    // Prepare
    const envelope = envelopeWith();

    // Act
    const error = captureError(() => assertRouteAccepts({ route: WebhookRoute.connect, envelope }));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventError);
  });

  test.each([
    ['with', FIXTURE_ACCOUNT],
    ['without', undefined],
  ])('the account route accepts an event %s a top-level account', (_label, account) => {
    // Prepare
    const envelope = envelopeWith(account);

    // Act
    const error = captureError(() => assertRouteAccepts({ route: WebhookRoute.account, envelope }));

    // Assess
    expect(error).toBeUndefined();
  });
});
