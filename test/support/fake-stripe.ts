import { startLoopbackServer } from './loopback-server';
import type { LoopbackServer } from './loopback-server';

/** One request the fake Stripe API answered. */
export interface StripeCall {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly stripeAccount: string | undefined;
  readonly status: number;
}

/** A fake of Stripe's Events API on loopback: events per scope (`platform` or an account id), 429s on demand. */
export interface FakeStripe extends LoopbackServer {
  /** Adds events (objects as Stripe returns them) to a scope. */
  add(scope: string, events: ReadonlyArray<Record<string, unknown>>): void;
  /** Adds v2 events (`v2.core.event` objects, `created` in RFC 3339) to a scope, listed by `GET /v2/core/events`. */
  addV2(scope: string, events: ReadonlyArray<Record<string, unknown>>): void;
  /** Answers the next `count` requests with 429, as Stripe does when rate limits are hit. */
  rateLimitNext(count: number): void;
  /** Answers every request for this scope with 403, as Stripe does for an account that disconnected the platform. */
  refuse(scope: string): void;
  readonly calls: readonly StripeCall[];
  /** Webhook endpoints created or updated through `/v1/webhook_endpoints`. */
  readonly endpoints: ReadonlyArray<Record<string, unknown>>;
  /** Event destinations created or updated through `/v2/core/event_destinations`. */
  readonly destinations: ReadonlyArray<Record<string, unknown>>;
  /** Adds a webhook endpoint as it exists at Stripe (made in the Dashboard, say). */
  addEndpoint(endpoint: Record<string, unknown>): void;
  /** Adds a v2 event destination, served by `GET /v2/core/event_destinations`. */
  addDestination(destination: Record<string, unknown>): void;
  /** Answers requests made with `key` to paths starting with `pathPrefix` with `status` (401: bad key, 403: missing access). */
  refuseKey(rule: { readonly key: string; readonly pathPrefix: string; readonly status: 401 | 403 }): void;
}

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

/**
 * Serves `GET /v1/events` like Stripe: newest first, `created[gte]` filter, `limit` and `starting_after`
 * pagination with `has_more`, and the connected account chosen by the `Stripe-Account` header.
 */
export const startFakeStripe = async (): Promise<FakeStripe> => {
  const scopes = new Map<string, Array<Record<string, unknown>>>();
  const calls: StripeCall[] = [];
  const endpoints: Array<Record<string, unknown>> = [];
  const destinations: Array<Record<string, unknown>> = [];
  const v2Scopes = new Map<string, Array<Record<string, unknown>>>();
  const refusals: Array<{ readonly key: string; readonly pathPrefix: string; readonly status: 401 | 403 }> = [];
  let rateLimited = 0;
  const refused = new Set<string>();
  const server = await startLoopbackServer((request) => {
    const url = new URL(request.url, 'http://fake');
    const header = request.headers['stripe-account'];
    const context = request.headers['stripe-context'];
    // v1 requests name the account with Stripe-Account, v2 requests with Stripe-Context.
    const stripeAccount = typeof header === 'string' ? header : typeof context === 'string' ? context : undefined;
    const record = (status: number) => calls.push({ path: url.pathname, query: url.searchParams, stripeAccount, status });
    if (rateLimited > 0) {
      rateLimited -= 1;
      record(429);
      return json(429, { error: { type: 'rate_limit_error', message: 'Too many requests.' } });
    }
    if (refused.has(stripeAccount ?? 'platform')) {
      record(403);
      return json(403, { error: { type: 'invalid_request_error', message: `The provided key does not have access to account '${stripeAccount}' (or that account does not exist).` } });
    }
    const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    const refusal = refusals.find((rule) => rule.key === key && url.pathname.startsWith(rule.pathPrefix));
    if (refusal !== undefined) {
      record(refusal.status);
      return json(refusal.status, { error: { type: 'invalid_request_error', code: refusal.status === 403 ? 'secret_key_required' : undefined, message: refusal.status === 401 ? 'Invalid API Key provided' : 'The provided key does not have the required permissions' } });
    }
    if (url.pathname.startsWith('/v1/webhook_endpoints')) {
      record(200);
      return webhookEndpoints(endpoints, request.method, url.pathname, new URLSearchParams(request.body));
    }
    if (url.pathname.startsWith('/v2/core/event_destinations')) {
      record(200);
      return eventDestinations(destinations, request.method, url.pathname, request.body);
    }
    if (request.method === 'GET' && url.pathname === '/v2/core/events') {
      record(200);
      return v2Events(v2Scopes.get(stripeAccount ?? 'platform') ?? [], url.searchParams);
    }
    if (request.method !== 'GET' || url.pathname !== '/v1/events') {
      record(404);
      return json(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${url.pathname})` } });
    }
    record(200);
    const since = Number(url.searchParams.get('created[gte]') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const newestFirst = [...(scopes.get(stripeAccount ?? 'platform') ?? [])].filter((event) => Number(event.created) >= since).sort((a, b) => Number(b.created) - Number(a.created));
    const after = url.searchParams.get('starting_after');
    const start = after === null ? 0 : newestFirst.findIndex((event) => event.id === after) + 1;
    const data = newestFirst.slice(start, start + limit);
    return json(200, { object: 'list', url: '/v1/events', has_more: start + limit < newestFirst.length, data });
  });
  return {
    ...server,
    add: (scope, events) => scopes.set(scope, [...(scopes.get(scope) ?? []), ...events]),
    addV2: (scope, events) => v2Scopes.set(scope, [...(v2Scopes.get(scope) ?? []), ...events]),
    rateLimitNext: (count) => {
      rateLimited = count;
    },
    refuse: (scope) => {
      refused.add(scope);
    },
    calls,
    endpoints,
    destinations,
    addEndpoint: (endpoint) => endpoints.push(endpoint),
    addDestination: (destination) => destinations.push(destination),
    refuseKey: (rule) => refusals.push(rule),
  };
};

/** `GET /v2/core/events`: `created[gte]` (RFC 3339), `limit`, and `page` (an offset here) in `next_page_url`. */
const v2Events = (events: ReadonlyArray<Record<string, unknown>>, query: URLSearchParams) => {
  const since = Date.parse(query.get('created[gte]') ?? '1970-01-01T00:00:00Z');
  const limit = Number(query.get('limit') ?? 20);
  const start = Number(query.get('page') ?? 0);
  const matching = events.filter((event) => Date.parse(String(event.created)) >= since);
  const next = start + limit < matching.length ? `/v2/core/events?page=${start + limit}` : null;
  return json(200, { data: matching.slice(start, start + limit), next_page_url: next, previous_page_url: null });
};

/** `GET /v2/core/event_destinations`, `POST` (JSON) to create (answering the signing secret once), `POST /:id` to update. */
const eventDestinations = (destinations: Array<Record<string, unknown>>, method: string, path: string, body: string) => {
  if (method === 'GET') return json(200, { data: destinations, next_page_url: null, previous_page_url: null });
  const params = JSON.parse(body === '' ? '{}' : body) as Record<string, unknown>;
  const id = path.split('/')[4];
  if (id !== undefined) {
    const destination = destinations.find((candidate) => candidate.id === id);
    if (destination === undefined) return json(404, { error: { type: 'invalid_request_error', message: 'No such event destination' } });
    Object.assign(destination, { enabled_events: params.enabled_events });
    return json(200, destination);
  }
  const created = `ed_test_${destinations.length + 1}`;
  const eventbridge = params.amazon_eventbridge as { aws_account_id: string; aws_region: string } | undefined;
  const destination = {
    id: created,
    object: 'v2.core.event_destination',
    type: params.type,
    event_payload: params.event_payload,
    events_from: params.events_from,
    enabled_events: params.enabled_events,
    ...(params.webhook_endpoint === undefined ? {} : { webhook_endpoint: { url: (params.webhook_endpoint as { url: string }).url } }),
    ...(eventbridge === undefined ? {} : { amazon_eventbridge: { ...eventbridge, aws_event_source_arn: `arn:aws:events:${eventbridge.aws_region}::event-source/aws.partner/stripe.com/${created}`, aws_event_source_status: 'pending' } }),
    status: 'enabled',
  };
  destinations.push(destination);
  const secret = params.type === 'webhook_endpoint' ? { webhook_endpoint: { url: (params.webhook_endpoint as { url: string }).url, signing_secret: `whsec_thin_created${destinations.length}abcdef` } } : {};
  return json(200, { ...destination, ...secret });
};

/** `GET /v1/webhook_endpoints`, `POST` to create (answering the signing secret once), `POST /:id` to update. */
const webhookEndpoints = (endpoints: Array<Record<string, unknown>>, method: string, path: string, form: URLSearchParams) => {
  const enabled = form.getAll('enabled_events[]').length > 0 ? form.getAll('enabled_events[]') : [...form.entries()].filter(([key]) => key.startsWith('enabled_events[')).map(([, value]) => value);
  if (method === 'GET') return json(200, { object: 'list', url: '/v1/webhook_endpoints', has_more: false, data: endpoints });
  const id = path.split('/')[3];
  if (id !== undefined) {
    const endpoint = endpoints.find((candidate) => candidate.id === id);
    if (endpoint === undefined) return json(404, { error: { type: 'invalid_request_error', message: 'No such webhook endpoint' } });
    endpoint.enabled_events = enabled;
    return json(200, endpoint);
  }
  const connect = form.get('connect') === 'true';
  const endpoint = { id: `we_${endpoints.length + 1}`, object: 'webhook_endpoint', url: form.get('url'), enabled_events: enabled, application: connect ? 'ca_fake' : null, status: 'enabled' };
  endpoints.push(endpoint);
  return json(200, { ...endpoint, secret: `whsec_created${endpoints.length}abcdef` });
};
