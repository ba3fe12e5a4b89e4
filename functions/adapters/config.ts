import { ConfigurationError } from '../core/errors';
import { DEFAULT_LEDGER_POLICY } from '../core/ledger-record';
import type { LedgerPolicy } from '../core/ledger-record';

/** The value of a required setting; a clear error names the one missing. */
export const requireEnv = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigurationError({ detail: `${name} is not set` });
  return value;
};

const positiveNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError({ detail: `${name} must be a positive number, got "${raw}"` });
  return value;
};

/** Ledger timings from `LEDGER_LEASE_SECONDS` and `LEDGER_RETENTION_DAYS` (at least 30: Stripe lists events for 30 days). */
export const ledgerPolicyFromEnv = (env: NodeJS.ProcessEnv): LedgerPolicy => {
  const retentionDays = positiveNumber(env, 'LEDGER_RETENTION_DAYS', DEFAULT_LEDGER_POLICY.retentionDays);
  if (retentionDays < 30) throw new ConfigurationError({ detail: 'LEDGER_RETENTION_DAYS must be at least 30' });
  return { leaseMs: positiveNumber(env, 'LEDGER_LEASE_SECONDS', DEFAULT_LEDGER_POLICY.leaseMs / 1000) * 1000, retentionDays };
};

/** `WEBHOOK_SECRET_CACHE_SECONDS`' default: how long the ingest uses a secret list it read. */
export const DEFAULT_WEBHOOK_SECRET_CACHE_SECONDS = 300;

/** How long the ingest uses a read secret list, in ms, from `WEBHOOK_SECRET_CACHE_SECONDS`. */
export const webhookSecretCacheMsFromEnv = (env: NodeJS.ProcessEnv): number =>
  positiveNumber(env, 'WEBHOOK_SECRET_CACHE_SECONDS', DEFAULT_WEBHOOK_SECRET_CACHE_SECONDS) * 1000;

/** `WEBHOOK_SECRET_GRACE_SECONDS`' default: how long past the cache time the last lists verify while Secrets Manager is unavailable. */
export const DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS = 3600;

/** The grace period of expired secret lists during a Secrets Manager outage, in ms, from `WEBHOOK_SECRET_GRACE_SECONDS`. */
export const webhookSecretGraceMsFromEnv = (env: NodeJS.ProcessEnv): number =>
  positiveNumber(env, 'WEBHOOK_SECRET_GRACE_SECONDS', DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS) * 1000;
