import { modeOf } from '../state/account-keys';
import { isDeauthorized } from '../state/authorization';
import type { ScopeRecord } from './ports';

/** Why an account in the directory is not reconciled. */
export const SkipReason = {
  deauthorized: 'the account deauthorized the platform (and has not authorized it again): Stripe refuses its events',
  otherMode: 'the account is known in the other mode only: the API key cannot read its events',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** The accounts a run reconciles (besides the platform), and those it skips with the reason. */
export interface ScopePlan {
  readonly accounts: readonly string[];
  readonly skipped: ReadonlyArray<{ readonly account: string; readonly mode: 'live' | 'test'; readonly reason: SkipReason }>;
}

/**
 * The mode a Stripe secret or restricted key reads (`sk_live_…`, `rk_test_…`); undefined for another shape
 * (a fake key in tests), which reads every account whatever its mode.
 */
export const apiKeyMode = (apiKey: string): 'live' | 'test' | undefined => {
  const match = /^(?:sk|rk)_(live|test)_/.exec(apiKey);
  return match?.[1] === 'live' ? 'live' : match?.[1] === 'test' ? 'test' : undefined;
};

/**
 * From the directory's records of recently active accounts: those in the key's mode and still authorized are
 * reconciled, sorted by id; the others are skipped with the reason. An account known in both modes is
 * reconciled in the key's and not reported for the other.
 */
export const planScopes = (options: { readonly records: readonly ScopeRecord[]; readonly keyMode: 'live' | 'test' | undefined }): ScopePlan => {
  const accounts = new Set<string>();
  const skipped = new Map<string, ScopePlan['skipped'][number]>();
  for (const record of options.records) {
    const mode = modeOf(record.livemode);
    if (options.keyMode !== undefined && mode !== options.keyMode) {
      skipped.set(record.account, { account: record.account, mode, reason: SkipReason.otherMode });
    } else if (isDeauthorized({ ...(record.deauthorized === undefined ? {} : { deauthorized: record.deauthorized }), ...(record.authorized === undefined ? {} : { authorized: record.authorized }) })) {
      skipped.set(record.account, { account: record.account, mode, reason: SkipReason.deauthorized });
    } else {
      accounts.add(record.account);
    }
  }
  for (const account of accounts) {
    if (skipped.get(account)?.reason === SkipReason.otherMode) skipped.delete(account);
  }
  return { accounts: [...accounts].sort(), skipped: [...skipped.values()].filter(({ account }) => !accounts.has(account)).sort((a, b) => a.account.localeCompare(b.account)) };
};
