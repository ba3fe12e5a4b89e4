import { AccountStatus, deriveAccountStatus } from '../../functions/core/state/account-status';
import type { StatusInputs } from '../../functions/core/state/account-status';

/** An enabled account with nothing due: `active`. */
const healthy: StatusInputs = {
  chargesEnabled: true,
  payoutsEnabled: true,
  requirements: { currentlyDue: [], pastDue: [], disabledReason: null },
  futureRequirements: { currentlyDue: [], pastDue: [] },
};

const profile = (changes: {
  readonly chargesEnabled?: boolean;
  readonly payoutsEnabled?: boolean;
  readonly requirements?: Partial<StatusInputs['requirements']>;
  readonly futureRequirements?: Partial<NonNullable<StatusInputs['futureRequirements']>> | 'absent';
}): StatusInputs => {
  const base = {
    chargesEnabled: changes.chargesEnabled ?? healthy.chargesEnabled,
    payoutsEnabled: changes.payoutsEnabled ?? healthy.payoutsEnabled,
    requirements: { ...healthy.requirements, ...changes.requirements },
  };
  return changes.futureRequirements === 'absent' ? base : { ...base, futureRequirements: { currentlyDue: [], pastDue: [], ...changes.futureRequirements } };
};

describe('deriveAccountStatus: each status', () => {
  test.each<[string, StatusInputs, AccountStatus]>([
    ['enabled, nothing due', healthy, AccountStatus.active],
    ['enabled, nothing due, future requirements absent', profile({ futureRequirements: 'absent' }), AccountStatus.active],
    ['charges disabled', profile({ chargesEnabled: false }), AccountStatus.restricted],
    ['payouts disabled', profile({ payoutsEnabled: false }), AccountStatus.restricted],
    ['something past due', profile({ requirements: { pastDue: ['external_account'] } }), AccountStatus.restricted],
    ['a disabled reason that is not a rejection', profile({ requirements: { disabledReason: 'requirements.pending_verification' } }), AccountStatus.restricted],
    ['under review', profile({ requirements: { disabledReason: 'under_review' } }), AccountStatus.restricted],
    ['a reason that only begins like a rejection', profile({ requirements: { disabledReason: 'rejected' } }), AccountStatus.restricted],
    ['rejected for fraud', profile({ requirements: { disabledReason: 'rejected.fraud' } }), AccountStatus.rejected],
    ['rejected as listed', profile({ requirements: { disabledReason: 'rejected.listed' } }), AccountStatus.rejected],
    ['something currently due', profile({ requirements: { currentlyDue: ['tos_acceptance.date'] } }), AccountStatus.restrictedSoon],
    ['something due in the future requirements', profile({ futureRequirements: { currentlyDue: ['company.tax_id'] } }), AccountStatus.restrictedSoon],
    ['something past due in the future requirements', profile({ futureRequirements: { pastDue: ['company.tax_id'] } }), AccountStatus.restrictedSoon],
  ])('%s → %s', (_, inputs, expected) => {
    // Prepare
    const deauthorized = false;

    // Act
    const status = deriveAccountStatus(inputs, deauthorized);

    // Assess
    expect(status).toBe(expected);
  });

  test('a deauthorized account is deauthorized, whatever its profile says', () => {
    // Prepare
    const inputs = healthy;

    // Act
    const status = deriveAccountStatus(inputs, true);

    // Assess
    expect(status).toBe(AccountStatus.deauthorized);
  });

  test('a deauthorized account without a profile is deauthorized', () => {
    // Prepare
    const inputs = undefined;

    // Act
    const status = deriveAccountStatus(inputs, true);

    // Assess
    expect(status).toBe(AccountStatus.deauthorized);
  });

  test('without a profile and a deauthorization there is no status', () => {
    // Prepare
    const inputs = undefined;

    // Act
    const status = deriveAccountStatus(inputs, false);

    // Assess
    expect(status).toBeUndefined();
  });
});

describe('deriveAccountStatus: the first matching rule wins', () => {
  test.each<[string, StatusInputs, boolean, AccountStatus]>([
    ['deauthorized before rejected', profile({ requirements: { disabledReason: 'rejected.fraud' } }), true, AccountStatus.deauthorized],
    ['rejected before restricted (charges and payouts disabled, past due)', profile({ chargesEnabled: false, payoutsEnabled: false, requirements: { disabledReason: 'rejected.other', pastDue: ['x'] } }), false, AccountStatus.rejected],
    ['restricted before restricted_soon (past due and currently due)', profile({ requirements: { pastDue: ['x'], currentlyDue: ['y'] } }), false, AccountStatus.restricted],
    ['restricted before restricted_soon (charges disabled, future due)', profile({ chargesEnabled: false, futureRequirements: { currentlyDue: ['y'] } }), false, AccountStatus.restricted],
    ['restricted_soon before active (enabled, currently due)', profile({ requirements: { currentlyDue: ['y'] } }), false, AccountStatus.restrictedSoon],
  ])('%s', (_, inputs, deauthorized, expected) => {
    // Prepare
    const flags = deauthorized;

    // Act
    const status = deriveAccountStatus(inputs, flags);

    // Assess
    expect(status).toBe(expected);
  });
});
