import Stripe from 'stripe';
import { EVENTS_V2_SOURCE, createStripeV2EventSource } from '../../functions/adapters/stripe-v2-event-source';
import { StripeApiError } from '../../functions/adapters/stripe-event-source';
import { parseDelivery } from '../../functions/core/delivery';
import { startLoopbackServer } from '../support/loopback-server';
import type { LoopbackRequest, LoopbackServer } from '../support/loopback-server';
import { THIN_FIXTURE_ACCOUNT, THIN_FIXTURE_TYPES, loadThinEvent } from '../support/thin-fixtures';

jest.setTimeout(30_000);

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

describe('v2 events source for the reconciler (the stripe package against a fake Stripe on loopback)', () => {
  let server: LoopbackServer;
  const requests: LoopbackRequest[] = [];
  let rateLimited = 0;
  let failing = false;
  // Seven account events in one scope, two a page; the platform scope has none.
  const events = THIN_FIXTURE_TYPES.map(loadThinEvent);

  beforeAll(async () => {
    server = await startLoopbackServer((request) => {
      requests.push(request);
      if (failing) return json(500, { error: { type: 'api_error', message: 'boom' } });
      if (rateLimited > 0) {
        rateLimited -= 1;
        return json(429, { error: { type: 'rate_limit_error', message: 'Too many requests' } });
      }
      const url = new URL(request.url, 'http://fake');
      const scoped = request.headers['stripe-context'] === THIN_FIXTURE_ACCOUNT ? events : [];
      const since = Date.parse(url.searchParams.get('created[gte]') ?? '1970-01-01T00:00:00Z');
      const matching = scoped.filter((event) => Date.parse(String(event.created)) >= since);
      const start = Number(url.searchParams.get('page') ?? 0);
      const next = start + 2 < matching.length ? `/v2/core/events?page=${start + 2}` : null;
      return json(200, { object: 'list', data: matching.slice(start, start + 2), next_page_url: next, previous_page_url: null, has_more: next !== null, url: '/v2/core/events' });
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    requests.length = 0;
    rateLimited = 0;
    failing = false;
  });

  const source = () => {
    const url = new URL(server.endpoint);
    const stripe = new Stripe('sk_test_v2_source', { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
    return createStripeV2EventSource({ stripe, baseMs: 1, sleep: async () => undefined });
  };
  const listAll = async (account: string | undefined, createdSince: number) => {
    const reader = source();
    const listed = [];
    let after: string | undefined;
    do {
      const page = await reader.page({ account, createdSince, ...(after === undefined ? {} : { after }) });
      listed.push(...page.events);
      after = page.next;
    } while (after !== undefined);
    return listed;
  };

  test('lists an account\'s events with its Stripe-Context, following every page, as thin notifications the worker takes', async () => {
    // Prepare
    const since = Math.floor(Date.parse('2026-08-01T00:00:00Z') / 1000);

    // Act
    const listed = await listAll(THIN_FIXTURE_ACCOUNT, since);

    // Assess
    expect(listed.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(requests).toHaveLength(4);
    expect(requests.every((request) => request.headers['stripe-context'] === THIN_FIXTURE_ACCOUNT)).toBe(true);
    expect(new URL(requests[0]?.url ?? '', 'http://x').searchParams.get('created[gte]')).toBe('2026-08-01T00:00:00.000Z');
    const delivery = parseDelivery(listed[0]?.body ?? '');
    expect(delivery).toMatchObject({ kind: 'thin', envelope: { id: events[0]?.id, account: THIN_FIXTURE_ACCOUNT } });
    expect(JSON.parse(listed[0]?.body ?? '{}')).not.toHaveProperty('data');
  });

  test('created is the cursor: only events at or after it are listed, with created in epoch seconds', async () => {
    // Prepare
    const since = Math.floor(Date.parse('2026-08-20T00:00:00Z') / 1000);

    // Act
    const listed = await listAll(THIN_FIXTURE_ACCOUNT, since);

    // Assess
    expect(listed.map((event) => event.created)).toEqual([Math.floor(Date.parse('2026-08-20T14:31:09.775Z') / 1000), Math.floor(Date.parse('2026-08-21T08:45:00.123Z') / 1000)]);
  });

  test('scopes are isolated: the platform scope sends no Stripe-Context and sees none of the account\'s events; the cursors are the v2 source\'s own', async () => {
    // Prepare
    const since = 0;

    // Act
    const listed = await listAll(undefined, since);

    // Assess
    expect(listed).toEqual([]);
    expect(requests[0]?.headers['stripe-context']).toBeUndefined();
    expect(source().name).toBe(EVENTS_V2_SOURCE);
  });

  test('429s are retried with back-off and the listing completes', async () => {
    // Prepare
    rateLimited = 2;

    // Act
    const listed = await listAll(THIN_FIXTURE_ACCOUNT, 0);

    // Assess
    expect(listed).toHaveLength(events.length);
    expect(requests).toHaveLength(4 + 2);
  });

  test('any other failure ends the scope with a StripeApiError', async () => {
    // Prepare
    failing = true;

    // Act
    const error = await listAll(THIN_FIXTURE_ACCOUNT, 0).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(StripeApiError);
  });
});
