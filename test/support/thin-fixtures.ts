import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The synthetic Accounts v2 thin-event samples of the shared Stripe test data, copied byte for byte: the
 * notifications Stripe POSTs, the full events `GET /v2/core/events/{id}` returns, a v2 account and person.
 */
export const THIN_FIXTURE_TYPES = [
  'v2.core.account.created',
  'v2.core.account.updated',
  'v2.core.account_person.updated',
  'v2.core.account[requirements].updated',
  'v2.core.account[configuration.merchant].capability_status_updated',
  'v2.core.account_person.deleted',
  'v2.core.account.closed',
] as const;
export type ThinFixtureType = (typeof THIN_FIXTURE_TYPES)[number];

/** The throwaway secret the thin fixture headers were made with; it protects nothing. */
export const THIN_FIXTURE_SECRET = 'whsec_test_thin_0123456789FIXTURESONLY';

/** The v2 account every thin fixture belongs to (its `context`). */
export const THIN_FIXTURE_ACCOUNT = 'acct_1QxV2mT8sYn4KpLd';

/** The v2 person of the person fixtures. */
export const THIN_FIXTURE_PERSON = 'person_1QxV2nR4wLp8HbTq0sKe5Xa9';

const DIR = join(__dirname, '..', 'fixtures', 'thin');

/** The exact signed bytes of a thin notification. */
export const loadThinNotification = (type: ThinFixtureType): string => readFileSync(join(DIR, 'notifications', `${type}.json`), 'utf8');

/** The full event Stripe returns for the notification's id. */
export const loadThinEvent = (type: ThinFixtureType): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, 'events', `${type}.json`), 'utf8')) as Record<string, unknown>;

/** The `Stripe-Signature` shipped with a notification, and its timestamp (seconds). */
export const loadThinSignature = (type: ThinFixtureType): { readonly header: string; readonly timestamp: number } => {
  const file = JSON.parse(readFileSync(join(DIR, 'signed-headers.json'), 'utf8')) as { headers: Record<string, { timestamp: number; 'Stripe-Signature': string }> };
  const entry = file.headers[`notifications/${type}.json`];
  if (entry === undefined) throw new Error(`no signed header for thin fixture ${type}`);
  return { header: entry['Stripe-Signature'], timestamp: entry.timestamp };
};

/** The v2 account (`GET /v2/core/accounts/{id}` with every include), as a fresh object. */
export const loadV2Account = (): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, 'account.v2.json'), 'utf8')) as Record<string, unknown>;

/** The v2 person (`GET /v2/core/accounts/{id}/persons/{person}`), as a fresh object. */
export const loadV2Person = (): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, 'account_person.v2.json'), 'utf8')) as Record<string, unknown>;

/** A thin notification body for `type`, with a fresh id and `created` (compact, as Stripe sends it). */
export const makeThinNotification = (options: { readonly type: string; readonly id: string; readonly createdMs: number; readonly account?: string | null; readonly livemode?: boolean; readonly relatedObject?: { id: string; type: string; url: string } | null }): string => {
  const account = options.account === undefined ? THIN_FIXTURE_ACCOUNT : options.account;
  const related = options.relatedObject === undefined ? (account === null ? null : { id: account, type: 'v2.core.account', url: `/v2/core/accounts/${account}` }) : options.relatedObject;
  return JSON.stringify({ id: options.id, object: 'v2.core.event', type: options.type, created: new Date(options.createdMs).toISOString(), livemode: options.livemode ?? false, context: account, related_object: related });
};
