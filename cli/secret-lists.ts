import { WebhookRoute } from '../functions/core/stripe-event';
import type { WebhookSecretDocument } from '../functions/adapters/webhook-secret-document';

/** What happened to one secret given to `secrets set`. */
export type AddOutcome = 'added' | 'already newest' | 'moved to newest';

/** The lists after `secrets set`, and what happened to each given secret, per endpoint in the order given. */
export interface AddResult {
  readonly document: WebhookSecretDocument;
  readonly outcomes: ReadonlyArray<{ readonly route: WebhookRoute; readonly secret: string; readonly outcome: AddOutcome }>;
}

/**
 * Adds secrets to the end of their endpoint's list (newest last). A secret already listed is not duplicated:
 * it moves to the end, because the one just set is the one `secrets prune` must keep.
 */
export const addSecrets = (document: WebhookSecretDocument, additions: Readonly<Partial<Record<WebhookRoute, readonly string[]>>>): AddResult => {
  const outcomes: Array<AddResult['outcomes'][number]> = [];
  const next: Record<WebhookRoute, string[]> = { account: [...document.account], connect: [...document.connect], thin: [...(document.thin ?? [])] };
  for (const route of Object.values(WebhookRoute)) {
    for (const secret of additions[route] ?? []) {
      const list = next[route];
      const at = list.indexOf(secret);
      outcomes.push({ route, secret, outcome: at < 0 ? 'added' : at === list.length - 1 ? 'already newest' : 'moved to newest' });
      if (at >= 0) list.splice(at, 1);
      list.push(secret);
    }
  }
  // The thin list appears only once it holds something, so older documents keep their shape.
  const { thin, ...lists } = next;
  return { document: { ...document, ...lists, ...(thin.length > 0 || document.thin !== undefined ? { thin } : {}) }, outcomes };
};

/** Keeps the newest `keep` secrets of each list; `removed` counts what was dropped per endpoint. */
export const pruneSecrets = (document: WebhookSecretDocument, keep: number): { readonly document: WebhookSecretDocument; readonly removed: Readonly<Record<'account' | 'connect', number> & { thin?: number }> } => {
  const kept = (list: readonly string[] = []): readonly string[] => list.slice(Math.max(0, list.length - keep));
  const thin = document.thin ?? [];
  return {
    document: { ...document, account: kept(document.account), connect: kept(document.connect), ...(document.thin === undefined ? {} : { thin: kept(thin) }) },
    removed: { account: document.account.length - kept(document.account).length, connect: document.connect.length - kept(document.connect).length, ...(document.thin === undefined ? {} : { thin: thin.length - kept(thin).length }) },
  };
};

const PREFIX = 'whsec_';

/**
 * `whsec_…abcd`: enough to tell secrets apart and match them with the Dashboard, never the secret. Short
 * values (not real Stripe secrets) show no characters at all, as four would be a large part of them.
 */
export const maskSecret = (secret: string): string => {
  const rest = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  return rest.length >= 16 ? `${PREFIX}…${rest.slice(-4)}` : `${PREFIX}…`;
};

/** One line per endpoint: its count and masked secrets, oldest first. */
export const describeLists = (document: Pick<WebhookSecretDocument, 'account' | 'connect' | 'thin'>): string =>
  Object.values(WebhookRoute)
    .filter((route) => route !== WebhookRoute.thin || document.thin !== undefined)
    .map((route) => {
      const list = document[route] ?? [];
      const count = `${list.length} ${list.length === 1 ? 'secret ' : 'secrets'}`;
      return `  ${route.padEnd(7)}  ${count}  ${list.length === 0 ? '(none)' : list.map(maskSecret).join(', ')}`.trimEnd();
    })
    .join('\n');
