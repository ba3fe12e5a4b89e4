import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripeId } from './event-factory';

/** Kinds of event a connected account's history is made of in the ordering tests. */
export const SCENARIO_KINDS = ['account', 'person', 'external', 'payoutFailed', 'payoutPaid', 'payment', 'destinationPayment', 'balance'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

/** One generated event: what it is, when (seconds after the scenario's start) and a variant picking its values. */
export interface ScenarioSpec {
  readonly kind: ScenarioKind | 'deauthorization';
  readonly offset: number;
  readonly variant: number;
}

const TEMPLATE_ACCOUNT = 'acct_1PgafTB7WZ01zgkW';
const templates = join(__dirname, '..', 'fixtures', 'events');

const TEMPLATE_FILE: Record<ScenarioSpec['kind'], string> = {
  account: 'account.updated.json',
  person: 'person.updated.json',
  external: 'account.external_account.updated.json',
  payoutFailed: 'payout.failed.json',
  payoutPaid: 'payout.failed.json',
  payment: 'payment_intent.succeeded.direct.json',
  destinationPayment: 'payment_intent.succeeded.destination.json',
  balance: 'balance.available.json',
  deauthorization: 'account.application.deauthorized.json',
};

/** Applies a variant to the event's object: the few fields whose values the ordering tests vary. */
const VARY: Record<ScenarioSpec['kind'], (object: Record<string, any>, variant: number, event: Record<string, any>) => void> = {
  account: (object, variant) => {
    object.charges_enabled = variant % 2 === 0;
    object.payouts_enabled = variant % 3 !== 0;
    object.requirements.currently_due = variant % 4 === 0 ? [] : [`field_${variant}`];
    object.requirements.disabled_reason = variant % 5 === 0 ? null : 'requirements.past_due';
  },
  person: (object, variant) => {
    object.id = `person_${variant % 2}`;
    object.verification.status = ['unverified', 'pending', 'verified'][variant % 3];
  },
  external: (object, variant) => {
    object.id = `ba_${variant % 2}`;
    object.status = ['new', 'validated', 'errored', 'verification_failed'][variant % 4];
  },
  payoutFailed: (object, variant) => {
    object.id = `po_${variant % 3}`;
    object.destination = `ba_${variant % 2}`;
    object.failure_code = ['account_closed', 'no_account'][variant % 2];
  },
  payoutPaid: (object, variant, event) => {
    event.type = 'payout.paid';
    Object.assign(object, { id: `po_${variant % 3}`, destination: `ba_${variant % 2}`, status: 'paid', failure_code: null, failure_message: null, failure_balance_transaction: null });
  },
  payment: (object, variant) => {
    object.id = `pi_direct_${variant % 2}`;
    object.amount_received = 100 * (variant + 1);
  },
  destinationPayment: (object, variant) => {
    object.id = `pi_destination_${variant % 2}`;
    object.amount_received = 100 * (variant + 1);
  },
  balance: (object, variant) => {
    object.available[0].amount = variant;
  },
  deauthorization: () => undefined,
};

/** A realistic event for `spec`, belonging to `account`, with a fresh id and `created` = start + offset. */
export const scenarioEvent = (options: { readonly spec: ScenarioSpec; readonly account: string; readonly start: number }): string => {
  const text = readFileSync(join(templates, TEMPLATE_FILE[options.spec.kind]), 'utf8').split(TEMPLATE_ACCOUNT).join(options.account);
  const event = JSON.parse(text) as Record<string, any>;
  VARY[options.spec.kind](event.data.object, options.spec.variant, event);
  Object.assign(event, { id: stripeId('evt'), created: options.start + options.spec.offset });
  return JSON.stringify(event, null, 2);
};

/** The events of a scenario, in the order the specs list them. */
export const scenarioEvents = (options: { readonly specs: readonly ScenarioSpec[]; readonly account: string; readonly start: number }): string[] =>
  options.specs.map((spec) => scenarioEvent({ spec, account: options.account, start: options.start }));

