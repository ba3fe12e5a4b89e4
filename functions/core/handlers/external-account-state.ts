import type Stripe from 'stripe';

/** Bank account statuses under which payouts cannot go there until the account holder acts. */
export const UNUSABLE_BANK_STATUSES: readonly string[] = ['errored', 'verification_failed'];

/** The masked, non-sensitive view of a bank account or card. */
export const summariseExternalAccount = (external: Stripe.BankAccount | Stripe.Card) =>
  external.object === 'bank_account'
    ? {
        externalAccountId: external.id,
        kind: 'bank_account',
        status: external.status ?? null,
        needsAttention: UNUSABLE_BANK_STATUSES.includes(external.status ?? ''),
        defaultForCurrency: external.default_for_currency ?? false,
        currency: external.currency ?? null,
        country: external.country ?? null,
        last4: external.last4 ?? null,
        bankName: external.bank_name ?? null,
      }
    : {
        externalAccountId: external.id,
        kind: 'card',
        status: external.status ?? null,
        needsAttention: false,
        defaultForCurrency: external.default_for_currency ?? false,
        currency: external.currency ?? null,
        country: external.country ?? null,
        last4: external.last4 ?? null,
        brand: external.brand ?? null,
      };
