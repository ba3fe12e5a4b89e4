import { createStripeV2Reader } from '../../functions/adapters/stripe-v2-reader';
import { ConfigurationError, StripeUnavailableError } from '../../functions/core/errors';
import { startLoopbackServer } from '../support/loopback-server';
import type { LoopbackRequest, LoopbackServer } from '../support/loopback-server';
import { THIN_FIXTURE_ACCOUNT, THIN_FIXTURE_PERSON, loadThinEvent, loadV2Account } from '../support/thin-fixtures';

jest.setTimeout(30_000);

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

describe('Stripe v2 reader (the stripe package against a fake Stripe on loopback)', () => {
  let server: LoopbackServer;
  const requests: LoopbackRequest[] = [];
  let answer: (request: LoopbackRequest) => { status: number; contentType: string; body: string };

  beforeAll(async () => {
    server = await startLoopbackServer((request) => {
      requests.push(request);
      return answer(request);
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    requests.length = 0;
  });

  const reader = () => createStripeV2Reader({ apiKey: async () => 'sk_test_reader_fake', baseUrl: server.endpoint });

  test('fetches the event with the context as Stripe-Context and the trigger header, as fetchEvent() does', async () => {
    // Prepare
    const event = loadThinEvent('v2.core.account[requirements].updated');
    answer = () => json(200, event);

    // Act
    const fetched = await reader().fetchEvent({ eventId: String(event.id), context: THIN_FIXTURE_ACCOUNT });

    // Assess
    expect(fetched.id).toBe(event.id);
    expect(requests[0]?.url).toBe(`/v2/core/events/${String(event.id)}`);
    expect(requests[0]?.headers['stripe-context']).toBe(THIN_FIXTURE_ACCOUNT);
    expect(requests[0]?.headers['stripe-request-trigger']).toBe(`event=${String(event.id)}`);
    expect(requests[0]?.headers.authorization).toBe('Bearer sk_test_reader_fake');
  });

  test('fetches the account with every include, and without Stripe-Context for a platform event', async () => {
    // Prepare
    answer = () => json(200, loadV2Account());

    // Act
    await reader().fetchAccount({ accountId: THIN_FIXTURE_ACCOUNT, context: null });

    // Assess
    const url = new URL(requests[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe(`/v2/core/accounts/${THIN_FIXTURE_ACCOUNT}`);
    // The stripe package encodes the list as include[0]=…&include[1]=…
    const includes = [...url.searchParams.entries()].filter(([key]) => key.startsWith('include')).map(([, value]) => value);
    expect(includes.sort()).toEqual(['configuration.customer', 'configuration.merchant', 'configuration.recipient', 'defaults', 'future_requirements', 'identity', 'requirements']);
    expect(requests[0]?.headers['stripe-context']).toBeUndefined();
  });

  test('a deleted person (404) reads as undefined', async () => {
    // Prepare
    answer = () => json(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such person' } });

    // Act
    const person = await reader().fetchPerson({ accountId: THIN_FIXTURE_ACCOUNT, personId: THIN_FIXTURE_PERSON, context: THIN_FIXTURE_ACCOUNT });

    // Assess
    expect(person).toBeUndefined();
  });

  test.each([
    [429, { error: { type: 'rate_limit_error', message: 'Too many requests' } }],
    [503, { error: { type: 'api_error', message: 'Service unavailable' } }],
  ])('HTTP %s becomes StripeUnavailableError (after the package\'s own retries)', async (status, body) => {
    // Prepare
    answer = () => json(status, body);

    // Act
    const error = await reader().fetchEvent({ eventId: 'evt_test_1', context: null }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(StripeUnavailableError);
    expect(requests.length).toBeGreaterThanOrEqual(1);
  });

  test('a refused key (401) is a configuration error, not an outage', async () => {
    // Prepare
    answer = () => json(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });

    // Act
    const error = await reader().fetchEvent({ eventId: 'evt_test_1', context: null }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
  });

  test('an unreachable Stripe becomes StripeUnavailableError', async () => {
    // Prepare
    const unreachable = createStripeV2Reader({ apiKey: async () => 'sk_test_reader_fake', baseUrl: 'http://127.0.0.1:9' });

    // Act
    const error = await unreachable.fetchEvent({ eventId: 'evt_test_1', context: null }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(StripeUnavailableError);
  });
});
