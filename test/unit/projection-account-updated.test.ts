import { projectAccountUpdated } from '../../functions/core/handlers/account-updated';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, objectAt, project, writeTo } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';

const EMPTY_REQUIREMENTS = { currentlyDue: [], eventuallyDue: [], pastDue: [], pendingVerification: [], errors: [], disabledReason: null, currentDeadline: null };

/** The PROFILE write of the account.updated fixture after `edit`. */
const profileWrite = async (edit?: (event: EditableEvent, account: Record<string, unknown>) => void) =>
  writeTo(await project('account.updated', projectAccountUpdated, fixtureEvent('account.updated', (event) => edit?.(event, event.data.object))), 'PROFILE');

/** The fixture account, enabled and with nothing due: its status is `active`. */
const enable = (account: Record<string, unknown>): void => {
  account.charges_enabled = true;
  account.payouts_enabled = true;
  Object.assign(objectAt(account, 'requirements'), { currently_due: [], eventually_due: [], disabled_reason: null });
};

describe('account.updated projection: optional fields missing', () => {
  test('requirements null gives empty requirement lists and no disabled reason', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      enable(account);
      account.requirements = null;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set).toMatchObject({ requirements: EMPTY_REQUIREMENTS, profileStatus: 'active' });
  });

  test('future_requirements absent gives empty future requirements', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      delete account.future_requirements;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.futureRequirements).toEqual(EMPTY_REQUIREMENTS);
  });

  test('controller absent is recorded as null', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      delete account.controller;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.controller).toBeNull();
  });

  test('capabilities absent are recorded as an empty map', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      delete account.capabilities;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.capabilities).toEqual({});
  });

  test('business_profile absent falls back to the company name', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      delete account.business_profile;
      account.company = { name: 'Ridgeline Outfitters LLC', tax_id_provided: true };
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.businessName).toBe('Ridgeline Outfitters LLC');
  });

  test('business_profile and company both absent give a null business name', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      delete account.business_profile;
      delete account.company;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.businessName).toBeNull();
  });

  test('an older API version without controller, future_requirements, capabilities and email still projects every field', async () => {
    // Prepare
    const edit = (event: EditableEvent, account: Record<string, unknown>) => {
      event.api_version = '2019-02-19';
      for (const key of ['controller', 'future_requirements', 'capabilities', 'email', 'default_currency', 'type']) delete account[key];
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set).toMatchObject({
      accountId: FIXTURE_ACCOUNT,
      type: null,
      controller: null,
      email: null,
      defaultCurrency: null,
      capabilities: {},
      futureRequirements: EMPTY_REQUIREMENTS,
      profileStatus: 'restricted',
    });
    expect(Object.values(write.set)).not.toContain(undefined);
  });
});

describe('account.updated projection: envelope variations', () => {
  test('unknown extra keys on the event and the account change nothing and are not copied', async () => {
    // Prepare
    const baseline = await profileWrite();
    const edit = (event: EditableEvent, account: Record<string, unknown>) => {
      event.context = 'future-envelope-key';
      account.brand_new_field = { nested: 'future-object-key' };
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write).toEqual(baseline);
    expect(JSON.stringify(write)).not.toContain('future-');
  });

  test('request: null (an event Stripe raised itself) projects the same record', async () => {
    // Prepare
    const baseline = await profileWrite();

    // Act
    const write = await profileWrite((event) => {
      event.request = null;
    });

    // Assess
    expect(write).toEqual(baseline);
  });

  test('a live-mode event writes the live partition of the account', async () => {
    // Prepare
    const edit = (event: EditableEvent) => {
      event.livemode = true;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.partition).toBe(`ACCOUNT#${FIXTURE_ACCOUNT}#live`);
  });

  test("the version is the event's created and id, not the account's own created", async () => {
    // Prepare
    const edit = (event: EditableEvent, account: Record<string, unknown>) => {
      event.created = 1787300000;
      account.created = 1234567890;
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.version).toBe('001787300000#evt_1S3kQ7B7WZ01zgkWc2Lx9PaD');
    expect(write.set).toMatchObject({ sourceEventId: 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD', sourceEventCreated: 1787300000 });
  });
});

describe('account.updated projection: field mapping', () => {
  test('a full controller maps its type, requirement collection and dashboard', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      account.controller = { type: 'application', is_controller: true, requirement_collection: 'application', stripe_dashboard: { type: 'none' }, losses: { payments: 'application' } };
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.controller).toEqual({ type: 'application', requirementCollection: 'application', dashboard: 'none' });
  });

  test('requirement errors keep only code, requirement and reason; the deadline becomes an ISO time', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      Object.assign(objectAt(account, 'requirements'), {
        current_deadline: 1787500000,
        errors: [{ code: 'verification_document_expired', reason: 'The document has expired.', requirement: 'individual.verification.document', extra: 'x' }],
      });
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set.requirements).toMatchObject({
      currentDeadline: '2026-08-23T15:46:40.000Z',
      errors: [{ code: 'verification_document_expired', requirement: 'individual.verification.document', reason: 'The document has expired.' }],
    });
  });

  test('an enabled account with only future requirements due is restricted_soon', async () => {
    // Prepare
    const edit = (_: EditableEvent, account: Record<string, unknown>) => {
      enable(account);
      Object.assign(objectAt(account, 'future_requirements'), { currently_due: ['company.tax_id'], current_deadline: 1790000000 });
    };

    // Act
    const write = await profileWrite(edit);

    // Assess
    expect(write.set).toMatchObject({ profileStatus: 'restricted_soon', futureRequirements: { currentlyDue: ['company.tax_id'], currentDeadline: '2026-09-21T14:13:20.000Z' } });
  });
});
