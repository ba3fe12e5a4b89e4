import { ConfigurationError } from '../core/errors';
import { WebhookRoute } from '../core/stripe-event';

/**
 * The content of the deployment's one webhook secret: each endpoint's signing secrets, oldest first and newest
 * last, so several stay valid while a rotation is under way. Keys other than the two lists are kept as they are
 * (a secret created with a generated key, say) but not used.
 */
export interface WebhookSecretDocument {
  readonly account: readonly string[];
  readonly connect: readonly string[];
  /** The thin event destination's secrets; absent in documents written before the thin route existed. */
  readonly thin?: readonly string[];
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What an empty or not yet written secret means: no secret for either endpoint. */
export const EMPTY_WEBHOOK_SECRET_DOCUMENT: WebhookSecretDocument = { account: [], connect: [], extra: {} };

/** A Stripe webhook signing secret: `whsec_` and no whitespace. */
export const isWebhookSigningSecret = (value: unknown): value is string => typeof value === 'string' && /^whsec_\S+$/.test(value);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Messages name the key and position of a bad entry, never its content: the content may be a secret.
const parseList = (value: unknown, key: WebhookRoute, fail: (detail: string) => never): readonly string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(`"${key}" must be a list of whsec_ secrets`);
  const bad = value.findIndex((entry) => !isWebhookSigningSecret(entry));
  if (bad >= 0) return fail(`"${key}" entry ${bad + 1} is not a whsec_ secret`);
  return value as string[];
};

/**
 * Parses and validates the secret's text, `{"account":["whsec_…"],"connect":["whsec_…"]}`. Blank text is the
 * empty document; a missing list is empty. Anything else malformed throws a `ConfigurationError` whose message
 * names `source` and the fault, never a value.
 */
export const parseWebhookSecretDocument = (options: { readonly text: string | undefined; readonly source: string }): WebhookSecretDocument => {
  const fail = (detail: string): never => {
    throw new ConfigurationError({ detail: `${options.source}: ${detail}; expected {"account":["whsec_…"],"connect":["whsec_…"],"thin":["whsec_…"]}`, context: { source: options.source } });
  };
  if (options.text === undefined || options.text.trim() === '') return EMPTY_WEBHOOK_SECRET_DOCUMENT;
  let parsed: unknown;
  try {
    parsed = JSON.parse(options.text);
  } catch {
    // JSON.parse's own message quotes the text around the fault, which may be a secret: it is dropped.
    return fail('is not valid JSON');
  }
  if (!isPlainObject(parsed)) return fail('is not a JSON object');
  const { account, connect, thin, ...extra } = parsed;
  // A document written before the thin route existed stays as it was: `thin` only when it holds the key.
  return { account: parseList(account, WebhookRoute.account, fail), connect: parseList(connect, WebhookRoute.connect, fail), ...(thin === undefined ? {} : { thin: parseList(thin, WebhookRoute.thin, fail) }), extra };
};

/** The secret's text for a document: the lists plus any extra keys it was read with. */
export const serializeWebhookSecretDocument = (document: WebhookSecretDocument): string =>
  JSON.stringify({ ...document.extra, account: document.account, connect: document.connect, ...(document.thin === undefined ? {} : { thin: document.thin }) });
