import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';

/** The eight signed Connect payloads of the shared Stripe test data, copied byte for byte. */
export const FIXTURE_NAMES = [
  'account.updated',
  'account.application.deauthorized',
  'person.updated',
  'account.external_account.updated',
  'payout.failed',
  'payment_intent.succeeded.direct',
  'payment_intent.succeeded.destination',
  'balance.available',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** The throwaway secret the fixture headers were made with; it protects nothing. */
export const FIXTURE_SECRET = 'whsec_test_0123456789abcdefFIXTURESONLY';

/** The connected account every fixture belongs to. */
export const FIXTURE_ACCOUNT = 'acct_1PgafTB7WZ01zgkW';

const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** The exact bytes of a fixture event, as UTF-8 text: the signed body. */
export const loadFixtureEvent = (name: FixtureName): string => readFileSync(join(FIXTURES_DIR, 'events', `${name}.json`), 'utf8');

interface SignedHeadersFile {
  readonly secret: string;
  readonly headers: Readonly<Record<string, { readonly timestamp: number; readonly 'Stripe-Signature': string }>>;
}

/** The `Stripe-Signature` header shipped with a fixture, and its timestamp (seconds). */
export const loadFixtureSignature = (name: FixtureName): { readonly header: string; readonly timestamp: number } => {
  const file = JSON.parse(readFileSync(join(FIXTURES_DIR, 'signed-headers.json'), 'utf8')) as SignedHeadersFile;
  const entry = file.headers[`${name}.json`];
  if (entry === undefined) throw new Error(`no signed header for fixture ${name}`);
  return { header: entry['Stripe-Signature'], timestamp: entry.timestamp };
};

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random Stripe-shaped identifier such as `evt_1S3kQ7B7WZ01zgkWc2Lx9PaD`. */
export const stripeId = (prefix: string, length = 24): string =>
  `${prefix}_${[...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;

/** Seconds since the epoch, as Stripe writes `created` and `t=`. */
export const nowSeconds = (nowMs: number = Date.now()): number => Math.floor(nowMs / 1000);

/** Keys set to `undefined` are removed from the event, so a test can drop e.g. `account`. */
export type EventOverrides = Readonly<Record<string, unknown>>;

/**
 * A realistic v1 `account.updated` Connect event with a fresh `evt_` id and `created` = now. Overrides replace
 * top-level keys; an override of `undefined` removes the key.
 */
export const makeEvent = (overrides: EventOverrides = {}): Record<string, unknown> => {
  const event: Record<string, unknown> = {
    id: stripeId('evt'),
    object: 'event',
    account: FIXTURE_ACCOUNT,
    api_version: '2026-07-29.dahlia',
    created: nowSeconds(),
    data: {
      object: {
        id: FIXTURE_ACCOUNT,
        object: 'account',
        business_type: 'company',
        charges_enabled: true,
        country: 'US',
        default_currency: 'usd',
        details_submitted: true,
        metadata: {},
        payouts_enabled: true,
        requirements: { currently_due: [], disabled_reason: null, past_due: [] },
        type: 'custom',
      },
      previous_attributes: { details_submitted: false },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'account.updated',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete event[key];
    else event[key] = value;
  }
  return event;
};

/** `makeEvent` serialised the way Stripe sends it (2-space indentation). */
export const makeEventBody = (overrides: EventOverrides = {}): string => JSON.stringify(makeEvent(overrides), null, 2);

/** A `Stripe-Signature` header made by the stripe package itself; `timestamp` in seconds, default now. */
export const signPayload = (options: { readonly payload: string; readonly secret: string; readonly timestamp?: number }): string =>
  Stripe.webhooks.generateTestHeaderString({
    payload: options.payload,
    secret: options.secret,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });

/** The `v1=` hex of a header made by `signPayload`. */
export const signatureOf = (header: string): string => {
  const v1 = header.split(',').find((item) => item.startsWith('v1='));
  if (v1 === undefined) throw new Error('header has no v1 signature');
  return v1.slice('v1='.length);
};

/** An HTTP API (payload format 2.0) event as API Gateway hands it to the ingest Lambda. */
export const apiGatewayEvent = (options: {
  readonly path?: string;
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2 => {
  const path = options.path ?? '/webhooks/account';
  const method = options.method ?? 'POST';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', ...options.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'unitapi',
      domainName: 'unitapi.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'unitapi',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '3.18.12.63', userAgent: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      requestId: stripeId('req', 12),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
};
