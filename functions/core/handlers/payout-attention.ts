import { isoFromSeconds } from './projection';

/**
 * The PAYOUT_ATTENTION record of one payout destination, always with every field: a newer event replaces
 * the record's fields, so a field one event sets and another omits would otherwise survive from history.
 */
export const payoutAttention = (options: {
  readonly destination: string;
  readonly failure?: { readonly payoutId: string; readonly failureCode: string | null; readonly failureMessage: string | null; readonly failedAt: number };
  readonly clearedBy?: { readonly reason: 'external_account_updated' | 'payout_paid'; readonly payoutId?: string };
}) => ({
  destination: options.destination,
  needsAttention: options.failure !== undefined,
  payoutId: options.failure?.payoutId ?? options.clearedBy?.payoutId ?? null,
  failureCode: options.failure?.failureCode ?? null,
  failureMessage: options.failure?.failureMessage ?? null,
  failedAt: options.failure === undefined ? null : isoFromSeconds(options.failure.failedAt),
  clearedBy: options.clearedBy?.reason ?? null,
});
