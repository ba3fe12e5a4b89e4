import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebhookRoute } from '../functions/core/stripe-event';

/** The connected account the templates were written for; `--account` replaces it everywhere. */
export const TEMPLATE_ACCOUNT = 'acct_1PgafTB7WZ01zgkW';

/** The events `trigger` can send: the name on the command line → template file, in an order safe to try one by one. */
export const TRIGGER_CASES = {
  'account.updated': 'account.updated.json',
  'person.updated': 'person.updated.json',
  'account.external_account.updated': 'account.external_account.updated.json',
  'payout.failed': 'payout.failed.json',
  'payout.paid': 'payout.paid.json',
  'payment_intent.succeeded': 'payment_intent.succeeded.direct.json',
  'payment_intent.succeeded.direct': 'payment_intent.succeeded.direct.json',
  'payment_intent.succeeded.destination': 'payment_intent.succeeded.destination.json',
  'balance.available': 'balance.available.json',
  // Harmless on a connected account; after a deauthorization it connects the account again.
  'account.application.authorized': 'account.application.authorized.json',
  // Last: it disconnects the account, and the account's later events are recorded `ignored`.
  'account.application.deauthorized': 'account.application.deauthorized.json',
} as const;
export type TriggerCase = keyof typeof TRIGGER_CASES;

export const isTriggerCase = (name: string): name is TriggerCase => Object.hasOwn(TRIGGER_CASES, name);

/** A ready-to-sign event: the exact body and the route it belongs to. */
export interface BuiltEvent {
  readonly id: string;
  readonly type: string;
  readonly route: Exclude<WebhookRoute, 'thin'>;
  readonly account?: string;
  readonly payload: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh id in Stripe's shape: prefix plus 24 alphanumerics. */
export const newStripeId = (prefix: string): string =>
  `${prefix}_${Array.from(randomBytes(24), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;

/**
 * Builds a realistic event from a template: a new event id, `created` now, the chosen mode, and the
 * connected account replaced wherever the template names it (top-level `account`, nested objects,
 * `transfer_data.destination`). Stripe's pretty-printed layout is kept.
 */
export const buildEvent = (options: {
  readonly name: TriggerCase;
  readonly account?: string;
  readonly livemode?: boolean;
  readonly nowMs?: number;
}): BuiltEvent => {
  if (options.account !== undefined && !/^acct_[A-Za-z0-9]+$/.test(options.account)) {
    throw new Error(`--account must look like acct_…, got "${options.account}"`);
  }
  const template = readFileSync(join(__dirname, 'event-templates', TRIGGER_CASES[options.name]), 'utf8');
  const text = options.account === undefined ? template : template.split(TEMPLATE_ACCOUNT).join(options.account);
  const event = JSON.parse(text) as Record<string, unknown>;
  const id = newStripeId('evt');
  Object.assign(event, { id, created: Math.floor((options.nowMs ?? Date.now()) / 1000), livemode: options.livemode ?? false });
  const account = typeof event.account === 'string' ? event.account : undefined;
  return {
    id,
    type: String(event.type),
    route: account === undefined ? WebhookRoute.account : WebhookRoute.connect,
    ...(account === undefined ? {} : { account }),
    payload: JSON.stringify(event, null, 2),
  };
};
