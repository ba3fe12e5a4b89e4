import type Stripe from 'stripe';
import { v2AccountProfile } from '../../functions/core/handlers/v2/v2-account-profile';
import { v2Version } from '../../functions/core/handlers/v2/v2-versions';
import { eventVersion } from '../../functions/core/state/state-write';
import { loadV2Account } from '../support/thin-fixtures';

const account = (change: Record<string, unknown> = {}): Stripe.V2.Core.Account => ({ ...loadV2Account(), ...change }) as unknown as Stripe.V2.Core.Account;
const allActive = {
  configuration: {
    merchant: { applied: true, capabilities: { card_payments: { status: 'active', status_details: [] } } },
    recipient: { applied: true, capabilities: { stripe_balance: { payouts: { status: 'active', status_details: [] }, stripe_transfers: { status: 'active', status_details: [] } } } },
  },
  requirements: { entries: [] },
  future_requirements: { entries: [] },
};

describe('Accounts v2 profile', () => {
  test('flattens every capability of every configuration with its status', () => {
    // Prepare
    const fixture = account();

    // Act
    const profile = v2AccountProfile(fixture);

    // Assess
    expect(profile.capabilities).toEqual({ 'merchant.card_payments': 'restricted', 'recipient.stripe_balance.payouts': 'active', 'recipient.stripe_balance.stripe_transfers': 'active' });
    expect(profile.requirements.entries[0]).toEqual({
      requirement: 'identity.business_details.address.line1',
      awaitingActionFrom: 'user',
      deadlineStatus: 'past_due',
      restricts: [{ configuration: 'merchant', capability: 'card_payments', deadlineStatus: 'past_due' }],
      errors: [{ code: 'invalid_street_address' }],
      reference: null,
    });
  });

  test.each([
    ['every capability active and nothing due', allActive, 'active'],
    ['a recipient-only account with payouts active (no card_payments asked for)', { ...allActive, applied_configurations: ['recipient'], configuration: { recipient: allActive.configuration.recipient } }, 'active'],
    ['something currently due, nothing restricted', { ...allActive, requirements: { entries: [{ awaiting_action_from: 'user', description: 'x', errors: [], impact: {}, minimum_deadline: { status: 'currently_due' }, requested_reasons: [] }] } }, 'restricted_soon'],
    ['something eventually due in the future requirements only', { ...allActive, future_requirements: { entries: [{ awaiting_action_from: 'user', description: 'x', errors: [], impact: {}, minimum_deadline: { status: 'eventually_due' }, requested_reasons: [] }] } }, 'active'],
    ['a capability restricted, past due', {}, 'restricted'],
    ['a capability rejected (stripe 23 status)', { ...allActive, configuration: { merchant: { applied: true, capabilities: { card_payments: { status: 'rejected', status_details: [] } } } } }, 'rejected'],
    ['the account closed', { ...allActive, closed: true }, 'closed'],
  ])('status: %s', (_name, change, status) => {
    // Prepare
    const fixture = account(change);

    // Act
    const profile = v2AccountProfile(fixture);

    // Assess
    expect(profile.profileStatus).toBe(status);
  });

  test('keeps no contact phone, addresses, tax or individual data, only the identity summary', () => {
    // Prepare
    const fixture = account({ contact_phone: '+4930123', identity: { country: 'de', entity_type: 'individual', individual: { given_name: 'Erika', date_of_birth: { day: 1, month: 1, year: 1980 } }, business_details: { registered_name: 'X GmbH', address: { line1: 'Musterstraße 1' }, id_numbers: [{ type: 'de_stn' }] } } });

    // Act
    const stored = JSON.stringify(v2AccountProfile(fixture));

    // Assess
    for (const sensitive of ['+4930123', 'Erika', '1980', 'Musterstraße', 'de_stn']) expect(stored).not.toContain(sensitive);
    expect(v2AccountProfile(fixture).identity).toEqual({ country: 'de', entityType: 'individual', registeredName: 'X GmbH' });
  });
});

describe('Accounts v2 versions', () => {
  test('the later of event created and freshness wins, in ms, and orders after a v1 version of the same second', () => {
    // Prepare
    const created = '2026-08-19T06:00:03.441Z';

    // Act
    const early = v2Version({ eventCreated: created, freshAtMs: 0, eventId: 'evt_b' });
    const fetched = v2Version({ eventCreated: created, freshAtMs: Date.parse(created) + 1500, eventId: 'evt_a' });
    const v1 = eventVersion({ created: Math.floor(Date.parse(created) / 1000), id: 'evt_z' });

    // Assess
    expect(early).toBe('001787119203.441#evt_b');
    expect(fetched).toBe('001787119204.941#evt_a');
    expect(fetched > early && early > v1).toBe(true);
  });
});
