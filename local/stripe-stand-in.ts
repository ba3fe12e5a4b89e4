import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the parts of Stripe's API the worker reads for thin events, on loopback: the full event
 * (`GET /v2/core/events/{id}`), the v2 account (`GET /v2/core/accounts/{id}`) and person
 * (`GET /v2/core/accounts/{id}/persons/{person}`), and the snapshot of a `v1.*` thin event (`GET /v1/events/{id}`). It serves only what was put into it: `connect-webhooks trigger`
 * puts the event and objects it sends (`POST /__stand-in/objects`), and tests put theirs directly.
 */
export interface StripeStandIn {
  readonly url: string;
  /** Adds or replaces objects to serve. */
  put(objects: StandInObjects): void;
  /** Every API read it answered, with the `Stripe-Context` it carried. */
  readonly reads: ReadonlyArray<{ readonly path: string; readonly stripeContext: string | undefined; readonly status: number }>;
  stop(): Promise<void>;
}

/** What the stand-in serves: full v2 events, v2 accounts and v2 persons (each with its `account`). */
export interface StandInObjects {
  readonly events?: ReadonlyArray<Record<string, unknown>>;
  readonly accounts?: ReadonlyArray<Record<string, unknown>>;
  readonly persons?: ReadonlyArray<Record<string, unknown>>;
  /** v1 snapshot events (`GET /v1/events/{id}`), named by `v1.*` thin events' `snapshot_event`. */
  readonly snapshots?: ReadonlyArray<Record<string, unknown>>;
}

/** The path `trigger` posts objects to. */
export const STAND_IN_OBJECTS_PATH = '/__stand-in/objects';

const MAX_BODY_BYTES = 1024 * 1024;

const send = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_standin_${Date.now().toString(36)}` });
  response.end(JSON.stringify(body));
};

const notFound = (response: ServerResponse, what: string): void =>
  send(response, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what} (Stripe stand-in: nothing was put for it)` } });

const readJson = (request: IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });

const ROUTES = [
  { pattern: /^\/v2\/core\/events\/([^/]+)$/, what: 'event' },
  { pattern: /^\/v2\/core\/accounts\/([^/]+)\/persons\/([^/]+)$/, what: 'person' },
  { pattern: /^\/v2\/core\/accounts\/([^/]+)$/, what: 'account' },
  { pattern: /^\/v1\/events\/([^/]+)$/, what: 'snapshot' },
] as const;

/** Starts the stand-in on loopback; port 0 picks a free one. */
export const startStripeStandIn = async (options: { readonly port?: number; readonly host?: string } = {}): Promise<StripeStandIn> => {
  const stores = { event: new Map<string, Record<string, unknown>>(), account: new Map<string, Record<string, unknown>>(), person: new Map<string, Record<string, unknown>>(), snapshot: new Map<string, Record<string, unknown>>() };
  const reads: Array<{ path: string; stripeContext: string | undefined; status: number }> = [];
  const put = (objects: StandInObjects): void => {
    for (const event of objects.events ?? []) stores.event.set(String(event.id), event);
    for (const account of objects.accounts ?? []) stores.account.set(String(account.id), account);
    for (const person of objects.persons ?? []) stores.person.set(String(person.id), person);
    for (const snapshot of objects.snapshots ?? []) stores.snapshot.set(String(snapshot.id), snapshot);
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    if (request.method === 'POST' && path === STAND_IN_OBJECTS_PATH) {
      readJson(request).then(
        (body) => {
          put(body as StandInObjects);
          send(response, 200, { stored: true });
        },
        () => send(response, 400, { error: { type: 'invalid_request_error', message: 'expected {"events":[…],"accounts":[…],"persons":[…]}' } }),
      );
      return;
    }
    const route = ROUTES.map((candidate) => ({ ...candidate, match: candidate.pattern.exec(path) })).find((candidate) => candidate.match !== null);
    const context = request.headers['stripe-context'];
    const stripeContext = typeof context === 'string' ? context : undefined;
    if (request.method !== 'GET' || route?.match == null) {
      reads.push({ path, stripeContext, status: 404 });
      notFound(response, `route ${request.method} ${path}`);
      return;
    }
    const id = decodeURIComponent(route.match[route.match.length - 1] as string);
    const found = stores[route.what].get(id);
    reads.push({ path, stripeContext, status: found === undefined ? 404 : 200 });
    if (found === undefined) notFound(response, `${route.what}: ${id}`);
    else send(response, 200, found);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put,
    reads,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/** The API key the pipeline uses with the stand-in: any `sk_test_` value passes, the stand-in checks none. */
export const STAND_IN_API_KEY = 'sk_test_local_stand_in';

/**
 * Which Stripe the local pipeline reads thin events from: `STRIPE_API_BASE_URL` and/or `STRIPE_API_KEY` when set
 * (another Stripe: a real test-mode account, or a test's fake), else a stand-in started here on loopback.
 */
export const startLocalStripe = async (env: NodeJS.ProcessEnv): Promise<{ readonly env: NodeJS.ProcessEnv; readonly standIn?: StripeStandIn }> => {
  const configured = (name: string) => (env[name] ?? '').trim() !== '';
  if (configured('STRIPE_API_BASE_URL') || configured('STRIPE_API_KEY')) return { env: {} };
  const standIn = await startStripeStandIn();
  return { env: { STRIPE_API_BASE_URL: standIn.url, STRIPE_API_KEY: STAND_IN_API_KEY }, standIn };
};
