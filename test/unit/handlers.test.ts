import { projectAccountApplicationDeauthorized } from '../../functions/core/handlers/account-application-deauthorized';
import { projectExternalAccountUpdated } from '../../functions/core/handlers/account-external-account-updated';
import { projectAccountUpdated } from '../../functions/core/handlers/account-updated';
import { projectPersonUpdated } from '../../functions/core/handlers/person-updated';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, project } from '../support/projection-input';

const PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
const PLATFORM_APPLICATION = 'ca_QXg3kVb2Yk4mZ8rTqP1nW6sJ0hLdF9aC';
const BANK_ACCOUNT = 'ba_1PgagAB7WZ01zgkWr3DySp2Q';
const DUE = ['business_profile.product_description', 'business_profile.support_phone', 'business_profile.url', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];
const NO_REQUIREMENTS = { currentlyDue: [], eventuallyDue: [], pastDue: [], pendingVerification: [], errors: [] };

describe('Connect projections on the shared fixtures: accounts and people', () => {
  test('account.updated writes the PROFILE facet of the account: flags, requirements, capabilities and the restricted status', async () => {
    // Prepare
    const event = fixtureEvent('account.updated');

    // Act
    const result = await project('account.updated', projectAccountUpdated, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: PARTITION,
          item: 'PROFILE',
          facet: 'profile',
          version: '001787238727#evt_1S3kQ7B7WZ01zgkWc2Lx9PaD',
          set: {
            accountId: FIXTURE_ACCOUNT,
            type: 'standard',
            controller: { type: 'account', requirementCollection: null, dashboard: null },
            chargesEnabled: false,
            payoutsEnabled: false,
            detailsSubmitted: false,
            country: 'US',
            defaultCurrency: 'usd',
            businessName: null,
            email: 'site@stripe.com',
            capabilities: { card_payments: 'active', transfers: 'active' },
            requirements: { ...NO_REQUIREMENTS, currentlyDue: DUE, eventuallyDue: DUE, disabledReason: 'requirements.past_due', currentDeadline: null },
            futureRequirements: { ...NO_REQUIREMENTS, disabledReason: null, currentDeadline: null },
            profileStatus: 'restricted',
            sourceEventId: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD',
            sourceEventCreated: 1787238727,
          },
        },
      ],
      outcome: { profileStatus: 'restricted' },
    });
  });

  test('account.application.deauthorized writes the DEAUTHORIZATION record, its guard copy in each write shard and the reconciler\'s account record: when, and which application', async () => {
    // Prepare
    const event = fixtureEvent('account.application.deauthorized');

    // Act
    const result = await project('account.application.deauthorized', projectAccountApplicationDeauthorized, event);

    // Assess
    const write = {
      facet: 'state',
      version: '001787674327#evt_1S3kR2B7WZ01zgkWn8Vd4TqE',
      set: {
        deauthorizedAt: '2026-08-25T16:12:07.000Z',
        application: PLATFORM_APPLICATION,
        applicationName: 'Acme Marketplace',
        sourceEventId: 'evt_1S3kR2B7WZ01zgkWn8Vd4TqE',
        sourceEventCreated: 1787674327,
      },
    };
    expect(result).toEqual({
      writes: [
        { partition: PARTITION, item: 'DEAUTHORIZATION', ...write },
        ...[0, 1, 2, 3].map((shard) => ({ partition: `${PARTITION}#S${shard}`, item: 'AUTHORIZATION_GUARD', ...write })),
        { partition: 'RECONCILE_SCOPES#test', item: FIXTURE_ACCOUNT, ...write },
      ],
      outcome: { deauthorized: FIXTURE_ACCOUNT },
    });
  });

  test('person.updated writes the PERSON record: name, relationship, verification and requirements only', async () => {
    // Prepare
    const event = fixtureEvent('person.updated');

    // Act
    const result = await project('person.updated', projectPersonUpdated, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: PARTITION,
          item: 'PERSON#person_1Pgc6oB7WZ01zgkWnmLL70wS',
          facet: 'state',
          version: '001787238787#evt_1S3kQ9B7WZ01zgkW5hYt2MwK',
          set: {
            personId: 'person_1Pgc6oB7WZ01zgkWnmLL70wS',
            firstName: null,
            lastName: null,
            relationship: { representative: false, owner: false, director: false, executive: false, title: null },
            verificationStatus: 'unverified',
            verificationDetailsCode: null,
            requirements: NO_REQUIREMENTS,
            futureRequirements: NO_REQUIREMENTS,
            sourceEventId: 'evt_1S3kQ9B7WZ01zgkW5hYt2MwK',
            sourceEventCreated: 1787238787,
          },
        },
      ],
      outcome: { person: 'person_1Pgc6oB7WZ01zgkWnmLL70wS', verificationStatus: 'unverified' },
    });
  });

  test('account.external_account.updated writes the masked EXTERNAL_ACCOUNT record of the errored bank account, and nothing else', async () => {
    // Prepare
    const event = fixtureEvent('account.external_account.updated');

    // Act
    const result = await project('account.external_account.updated', projectExternalAccountUpdated, event);

    // Assess
    expect(result).toEqual({
      writes: [
        {
          partition: PARTITION,
          item: `EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`,
          facet: 'state',
          version: '001787584452#evt_1S4A2mB7WZ01zgkWq7Ue3JrN',
          set: {
            externalAccountId: BANK_ACCOUNT,
            kind: 'bank_account',
            status: 'errored',
            needsAttention: true,
            defaultForCurrency: true,
            currency: 'usd',
            country: 'US',
            last4: '6789',
            bankName: 'STRIPE TEST BANK',
            sourceEventId: 'evt_1S4A2mB7WZ01zgkWq7Ue3JrN',
            sourceEventCreated: 1787584452,
          },
        },
      ],
      outcome: { externalAccount: BANK_ACCOUNT, status: 'errored', needsAttention: true },
    });
  });
});
