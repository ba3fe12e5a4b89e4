/**
 * Whether the platform may act on a connected account's event: the newest deauthorization and the newest
 * re-authorization are two facets of one record, each kept by the version rule, so their order of arrival
 * does not matter.
 */
import { STATE_FACET, versionAttribute } from './state-write';
import type { EventVersion } from './state-write';

/** The facet `account.application.deauthorized` writes (kept as `stateVersion`, as stored before re-authorization existed). */
export const DEAUTHORIZATION_FACET = STATE_FACET;
/** The facet `account.application.authorized` writes (`authorizationVersion`). */
export const AUTHORIZATION_FACET = 'authorization';

/** The attributes holding the two versions on an authorization record. */
export const AuthorizationAttribute = {
  deauthorized: versionAttribute(DEAUTHORIZATION_FACET),
  authorized: versionAttribute(AUTHORIZATION_FACET),
} as const;

/** The versions of the newest deauthorization and authorization recorded for an account, if any. */
export interface AuthorizationVersions {
  readonly deauthorized?: EventVersion;
  readonly authorized?: EventVersion;
}

/**
 * An event is blocked when the account deauthorized the platform at or before it, unless the account
 * authorized the platform again after that deauthorization and before the event. Only the newest
 * deauthorization window counts. The guard's ConditionCheck states the same rule in DynamoDB's terms.
 */
export const isBlockedByDeauthorization = (versions: AuthorizationVersions, version: EventVersion): boolean => {
  const { deauthorized, authorized } = versions;
  if (deauthorized === undefined || deauthorized > version) return false;
  return !(authorized !== undefined && authorized > deauthorized && authorized < version);
};

/** Whether the account is currently deauthorized: a deauthorization with no later authorization. */
export const isDeauthorized = (versions: AuthorizationVersions): boolean =>
  versions.deauthorized !== undefined && !(versions.authorized !== undefined && versions.authorized > versions.deauthorized);

/** The two versions as stored on a record. */
export const authorizationVersionsOf = (record: Readonly<Record<string, unknown>> | undefined): AuthorizationVersions => {
  const deauthorized = record?.[AuthorizationAttribute.deauthorized];
  const authorized = record?.[AuthorizationAttribute.authorized];
  return { ...(typeof deauthorized === 'string' ? { deauthorized } : {}), ...(typeof authorized === 'string' ? { authorized } : {}) };
};
