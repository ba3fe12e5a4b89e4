import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The signing secret of every benchmark (both routes). */
export const BENCH_SECRET = 'whsec_bench_secret';

/** Events are spread over this many connected accounts, as on a platform: one account's events contend for its records. */
export const ACCOUNTS = 100;

const TEMPLATE_ACCOUNT = 'acct_1PgafTB7WZ01zgkW';

/** A CLI event template (cli/event-templates/<name>.json) as raw text. */
export const template = (name: string): string => readFileSync(join(__dirname, '..', '..', 'cli', 'event-templates', `${name}.json`), 'utf8');

/** A Stripe-Signature header for `payload`, as Stripe computes it (HMAC-SHA256 over `<t>.<payload>`). */
export const signatureHeader = (payload: string, secret = BENCH_SECRET, timestamp = Math.floor(Date.now() / 1000)): string =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;

/** A signed event, ready to POST. */
export interface SignedEvent {
  readonly id: string;
  readonly body: string;
  readonly signature: string;
}

/**
 * Makes events from a template with unique ids (`evt_<prefix><n>`), the current `created`, and the account
 * rotating over {@link ACCOUNTS} accounts.
 */
export const eventFactory = (options: { readonly template: string; readonly prefix: string }) => {
  let counter = 0;
  return (): SignedEvent => {
    counter += 1;
    const id = `evt_${options.prefix}${counter}`;
    const body = options.template
      .replace(/"id": "evt_[^"]+"/, `"id": "${id}"`)
      .replace(/"created": \d+/, `"created": ${Math.floor(Date.now() / 1000)}`)
      .split(TEMPLATE_ACCOUNT)
      .join(`acct_bench${counter % ACCOUNTS}`);
    return { id, body, signature: signatureHeader(body) };
  };
};
