import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { GetSecretValueCommandOutput, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError, ConnectWebhooksError, describeError } from '../core/errors';
import type { Clock, Logger, WebhookSecrets } from '../core/ports';
import { DEFAULT_WEBHOOK_SECRET_CACHE_SECONDS, DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS } from './config';
import { parseWebhookSecretDocument } from './webhook-secret-document';
import type { WebhookSecretDocument } from './webhook-secret-document';

/** How long a read list is used before the next request reads it again: `WEBHOOK_SECRET_CACHE_SECONDS`' default. */
export const DEFAULT_SECRET_CACHE_MS = DEFAULT_WEBHOOK_SECRET_CACHE_SECONDS * 1000;
/** At most one reload per this interval on behalf of unmatched signatures, so forged requests cannot hammer Secrets Manager. */
export const DEFAULT_MIN_REFRESH_INTERVAL_MS = 30_000;
/** After a failed read, requests within this time get the same failure instead of reading again. */
export const DEFAULT_RETRY_AFTER_FAILURE_MS = 5_000;
/**
 * How long past their cache time the last lists read keep verifying while Secrets Manager cannot be read: an
 * outage then costs no webhook, and a secret revoked during one stays accepted for at most this long.
 */
export const DEFAULT_STALE_GRACE_MS = DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS * 1000;

/**
 * Secrets Manager could not be read (outage, throttling, network). Not the caller's fault: the ingest answers
 * 500 so Stripe retries the delivery later.
 */
export class SecretStoreUnavailableError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown>; readonly cause?: unknown }) {
    super({ message: `Secret store unavailable: ${options.detail}`, code: 'secrets.unavailable', ...options });
  }
}

// These answers will not change by retrying soon: the deployment itself is wrong (id, permissions, key).
const CONFIGURATION_FAULTS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: 'was not found, or has no value yet (add secrets with `connect-webhooks secrets set`)',
  AccessDeniedException: 'may not be read by this function (its role lacks secretsmanager:GetSecretValue)',
  DecryptionFailure: 'could not be decrypted with its KMS key',
};

/** Translates an SDK failure into the project's errors; the secret id is an ARN or name, safe to log. */
export const translateSecretsManagerError = (cause: unknown, secretId: string): ConnectWebhooksError => {
  const name = cause instanceof Error ? cause.name : '';
  const fault = CONFIGURATION_FAULTS[name];
  if (fault !== undefined) return new ConfigurationError({ detail: `webhook secret ${secretId} ${fault}`, context: { secretId, awsError: name } });
  return new SecretStoreUnavailableError({ detail: describeError(cause), context: { secretId }, cause });
};

/** The secret's current value; failures translated by `translateSecretsManagerError`. */
export const getSecretValue = async (options: { readonly client: SecretsManagerClient; readonly secretId: string }): Promise<GetSecretValueCommandOutput> => {
  const { client, secretId } = options;
  try {
    return await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  } catch (cause) {
    throw translateSecretsManagerError(cause, secretId);
  }
};

/** Reads and validates the secret's current value. */
export const readWebhookSecretDocument = async (options: { readonly client: SecretsManagerClient; readonly secretId: string }): Promise<WebhookSecretDocument> => {
  const { secretId } = options;
  const result = await getSecretValue(options);
  if (result.SecretString === undefined && result.SecretBinary !== undefined) {
    throw new ConfigurationError({ detail: `webhook secret ${secretId} holds binary data; expected JSON text`, context: { secretId } });
  }
  return parseWebhookSecretDocument({ text: result.SecretString, source: `webhook secret ${secretId}` });
};

/** Settings of `createSecretsManagerWebhookSecrets`. */
export interface SecretsManagerWebhookSecretsOptions {
  /** `createSecretsManagerClient()`. */
  readonly client: SecretsManagerClient;
  /** Name or ARN of the secret (`WEBHOOK_SECRET_ID`). */
  readonly secretId: string;
  readonly clock: Clock;
  /** @default DEFAULT_SECRET_CACHE_MS */
  readonly cacheTtlMs?: number;
  /** @default DEFAULT_MIN_REFRESH_INTERVAL_MS */
  readonly minRefreshIntervalMs?: number;
  /** @default DEFAULT_RETRY_AFTER_FAILURE_MS */
  readonly retryAfterFailureMs?: number;
  /** @default DEFAULT_STALE_GRACE_MS */
  readonly staleGraceMs?: number;
  /** Where the grace period's warnings go. @default - none written */
  readonly logger?: Logger;
}

/** A read of the secret shared by concurrent callers, remembering the last result and a recent failure. */
interface SecretLoader {
  load(): Promise<WebhookSecretDocument>;
  /** The last document read and when, if any read succeeded. */
  last(): { readonly document: WebhookSecretDocument; readonly loadedAtMs: number } | undefined;
}

const createSecretLoader = (options: SecretsManagerWebhookSecretsOptions & { readonly retryAfterFailureMs: number }): SecretLoader => {
  const { clock } = options;
  let last: ReturnType<SecretLoader['last']>;
  let failed: { readonly error: unknown; readonly atMs: number } | undefined;
  let inFlight: Promise<WebhookSecretDocument> | undefined;
  const read = async (): Promise<WebhookSecretDocument> => {
    // During an outage every request would otherwise make its own doomed call.
    if (failed !== undefined && clock() - failed.atMs < options.retryAfterFailureMs) throw failed.error;
    try {
      const document = await readWebhookSecretDocument(options);
      last = { document, loadedAtMs: clock() };
      failed = undefined;
      return document;
    } catch (error) {
      failed = { error, atMs: clock() };
      throw error;
    }
  };
  return {
    load: () => {
      inFlight ??= read().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    last: () => last,
  };
};

/**
 * Both endpoints' secret lists from one Secrets Manager secret. Nothing is read until the first request; the
 * list is then used for `cacheTtlMs`. When a read after that fails because Secrets Manager is unavailable, the
 * last lists keep verifying for `staleGraceMs` more, with a warning logged. `refresh()` (called by the ingest when
 * no secret matched) reloads at once, so a rotation needs no redeploy, but at most once per
 * `minRefreshIntervalMs`. Concurrent callers share one read.
 */
export const createSecretsManagerWebhookSecrets = (options: SecretsManagerWebhookSecretsOptions): WebhookSecrets => {
  const { clock } = options;
  const ttlMs = options.cacheTtlMs ?? DEFAULT_SECRET_CACHE_MS;
  const minRefreshMs = options.minRefreshIntervalMs ?? DEFAULT_MIN_REFRESH_INTERVAL_MS;
  const graceMs = options.staleGraceMs ?? DEFAULT_STALE_GRACE_MS;
  const loader = createSecretLoader({ ...options, retryAfterFailureMs: options.retryAfterFailureMs ?? DEFAULT_RETRY_AFTER_FAILURE_MS });
  let lastRefreshMs: number | undefined;
  let warnedAbout: unknown;
  /** The expired lists, while Secrets Manager is unavailable and they are within the grace period; else the failure. */
  const staleOrThrow = (error: unknown): WebhookSecretDocument => {
    const cached = loader.last();
    const ageMs = cached === undefined ? undefined : clock() - cached.loadedAtMs;
    if (!(error instanceof SecretStoreUnavailableError) || cached === undefined || ageMs === undefined || ageMs >= ttlMs + graceMs) throw error;
    // One line per failed read, not per request.
    if (warnedAbout !== error) {
      warnedAbout = error;
      options.logger?.warn('webhook secrets unreadable; verifying with the last lists read', { code: error.code, secretId: options.secretId, ageSeconds: Math.round(ageMs / 1000), graceSeconds: Math.round(graceMs / 1000), detail: error.message });
    }
    return cached.document;
  };
  return {
    async secretsFor(route) {
      const cached = loader.last();
      const document = cached !== undefined && clock() - cached.loadedAtMs < ttlMs ? cached.document : await loader.load().catch(staleOrThrow);
      return document[route] ?? [];
    },
    async refresh() {
      const now = clock();
      if (lastRefreshMs !== undefined && now - lastRefreshMs < minRefreshMs) return;
      lastRefreshMs = now;
      await loader.load();
    },
  };
};
