/** Derived status of a connected account, from its profile and whether the platform lost access. */
export const AccountStatus = {
  /** Can take charges and receive payouts, nothing due. */
  active: 'active',
  /** Something is due but nothing is disabled yet: a deadline is coming. */
  restrictedSoon: 'restricted_soon',
  /** Charges or payouts are disabled, or requirements are past due. */
  restricted: 'restricted',
  /** Stripe rejected the account (`requirements.disabled_reason` = `rejected.*`). */
  rejected: 'rejected',
  /** The account disconnected the platform's application. */
  deauthorized: 'deauthorized',
  /** The account was closed (Accounts v2: `closed: true`). */
  closed: 'closed',
} as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

/** The profile fields the status depends on. */
export interface StatusInputs {
  readonly chargesEnabled: boolean;
  readonly payoutsEnabled: boolean;
  readonly requirements: { readonly currentlyDue: readonly string[]; readonly pastDue: readonly string[]; readonly disabledReason: string | null };
  readonly futureRequirements?: { readonly currentlyDue: readonly string[]; readonly pastDue: readonly string[] };
  /** Accounts v2: the account was closed. */
  readonly closed?: boolean;
  /**
   * Accounts v2: the requested capabilities that are not active. When present it replaces the charges/payouts
   * test, since a v2 account asks only for the capabilities of its configurations (a recipient takes no charges).
   */
  readonly restrictedCapabilities?: readonly string[];
}

/**
 * The rule, first match wins: deauthorized (a deauthorization was recorded) → closed (a v2 account closed) →
 * rejected (disabled_reason `rejected.*`) → restricted (charges or payouts disabled, or for a v2 account any
 * requested capability not active; anything past due, or any disabled_reason) → restricted_soon (anything
 * currently due, now or in future requirements) → active.
 */
export const deriveAccountStatus = (profile: StatusInputs | undefined, deauthorized: boolean): AccountStatus | undefined => {
  if (deauthorized) return AccountStatus.deauthorized;
  if (profile === undefined) return undefined;
  const { requirements, futureRequirements } = profile;
  if (profile.closed === true) return AccountStatus.closed;
  if (requirements.disabledReason?.startsWith('rejected.')) return AccountStatus.rejected;
  const disabled = profile.restrictedCapabilities === undefined ? !profile.chargesEnabled || !profile.payoutsEnabled : profile.restrictedCapabilities.length > 0;
  if (disabled || requirements.pastDue.length > 0 || requirements.disabledReason !== null) {
    return AccountStatus.restricted;
  }
  const dueSoon = requirements.currentlyDue.length > 0 || (futureRequirements?.currentlyDue.length ?? 0) > 0 || (futureRequirements?.pastDue.length ?? 0) > 0;
  return dueSoon ? AccountStatus.restrictedSoon : AccountStatus.active;
};
