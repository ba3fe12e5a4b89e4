import { projectExternalAccountUpdated } from '../../functions/core/handlers/account-external-account-updated';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, project, writeTo, writesOf } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';

const BANK_ACCOUNT = 'ba_1PgagAB7WZ01zgkWr3DySp2Q';
const PARTITION = `ACCOUNT#${FIXTURE_ACCOUNT}#test`;
const VERSION = '001787584452#evt_1S4A2mB7WZ01zgkWq7Ue3JrN';
const SOURCE = { sourceEventId: 'evt_1S4A2mB7WZ01zgkWq7Ue3JrN', sourceEventCreated: 1787584452 };

/** The projection of the account.external_account.updated fixture after `edit`. */
const projectFixture = (edit?: (event: EditableEvent, external: Record<string, unknown>) => void) =>
  project('account.external_account.updated', projectExternalAccountUpdated, fixtureEvent('account.external_account.updated', (event) => edit?.(event, event.data.object)));

const withStatus = (status: string) => (_: EditableEvent, external: Record<string, unknown>) => {
  external.status = status;
};

describe('account.external_account.updated projection: sensitive data', () => {
  test('the EXTERNAL_ACCOUNT record never carries routing or account numbers, fingerprint or holder name', async () => {
    // Prepare
    const edit = (_: EditableEvent, external: Record<string, unknown>) => {
      external.account_number = '000123456789';
    };

    // Act
    const write = writeTo(await projectFixture(edit), `EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`);

    // Assess
    const text = JSON.stringify(write);
    for (const secret of ['110000000', '000123456789', 'AuoSJ18zsVWV9SPc', 'Jane Austen', 'routing', 'fingerprint', 'account_number']) {
      expect(text).not.toContain(secret);
    }
    expect(Object.keys(write.set).sort()).toEqual(
      ['externalAccountId', 'kind', 'status', 'needsAttention', 'defaultForCurrency', 'currency', 'country', 'last4', 'bankName', 'sourceEventId', 'sourceEventCreated'].sort(),
    );
  });
});

describe('account.external_account.updated projection: payouts need attention', () => {
  test.each(['errored', 'verification_failed'])('a bank account %s needs attention and does not clear the flag', async (status) => {
    // Prepare
    const edit = withStatus(status);

    // Act
    const result = await projectFixture(edit);

    // Assess
    expect(writesOf(result).map((write) => write.item)).toEqual([`EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`]);
    expect(result.outcome).toEqual({ externalAccount: BANK_ACCOUNT, status, needsAttention: true });
  });

  test.each(['new', 'validated', 'verified'])('a usable bank account (%s) clears the PAYOUT_ATTENTION flag of that destination', async (status) => {
    // Prepare
    const edit = withStatus(status);

    // Act
    const result = await projectFixture(edit);

    // Assess
    expect(writeTo(result, `EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`).set).toMatchObject({ status, needsAttention: false });
    expect(writeTo(result, `PAYOUT_ATTENTION#${BANK_ACCOUNT}`)).toEqual({
      partition: PARTITION,
      item: `PAYOUT_ATTENTION#${BANK_ACCOUNT}`,
      facet: 'state',
      version: VERSION,
      set: { destination: BANK_ACCOUNT, needsAttention: false, payoutId: null, failureCode: null, failureMessage: null, failedAt: null, clearedBy: 'external_account_updated', ...SOURCE },
    });
  });

  test('a card is recorded with its brand, never needs attention and clears the flag', async () => {
    // Prepare
    const edit = (event: EditableEvent) => {
      event.data.object = { id: 'card_1Pgb2XB7WZ01zgkW9rT4yUiO', object: 'card', account: FIXTURE_ACCOUNT, brand: 'Visa', country: 'US', currency: 'usd', last4: '4242', fingerprint: 'Xt5EWLLDS7FJjR1c', exp_month: 8, exp_year: 2030, status: null };
    };

    // Act
    const result = await projectFixture(edit);

    // Assess
    expect(writeTo(result, 'EXTERNAL_ACCOUNT#card_1Pgb2XB7WZ01zgkW9rT4yUiO').set).toEqual({
      externalAccountId: 'card_1Pgb2XB7WZ01zgkW9rT4yUiO',
      kind: 'card',
      status: null,
      needsAttention: false,
      defaultForCurrency: false,
      currency: 'usd',
      country: 'US',
      last4: '4242',
      brand: 'Visa',
      ...SOURCE,
    });
    expect(writeTo(result, 'PAYOUT_ATTENTION#card_1Pgb2XB7WZ01zgkW9rT4yUiO').set).toMatchObject({ needsAttention: false, clearedBy: 'external_account_updated' });
  });
});

describe('account.external_account.updated projection: optional fields and envelope variations', () => {
  test('an older API version without default_for_currency records it false', async () => {
    // Prepare
    const edit = (event: EditableEvent, external: Record<string, unknown>) => {
      event.api_version = '2017-08-15';
      delete external.default_for_currency;
    };

    // Act
    const write = writeTo(await projectFixture(edit), `EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`);

    // Assess
    expect(write.set).toMatchObject({ defaultForCurrency: false, status: 'errored', needsAttention: true });
    expect(Object.values(write.set)).not.toContain(undefined);
  });

  test('bank name, currency, country and last4 absent are recorded as null', async () => {
    // Prepare
    const edit = (_: EditableEvent, external: Record<string, unknown>) => {
      for (const key of ['bank_name', 'currency', 'country', 'last4']) delete external[key];
    };

    // Act
    const write = writeTo(await projectFixture(edit), `EXTERNAL_ACCOUNT#${BANK_ACCOUNT}`);

    // Assess
    expect(write.set).toMatchObject({ bankName: null, currency: null, country: null, last4: null });
  });

  test('unknown extra keys and request: null project the same writes', async () => {
    // Prepare
    const baseline = await projectFixture();
    const edit = (event: EditableEvent, external: Record<string, unknown>) => {
      event.request = null;
      event.context = 'unknown-envelope-key';
      external.future_field = { nested: true };
    };

    // Act
    const result = await projectFixture(edit);

    // Assess
    expect(result).toEqual(baseline);
  });

  test.each([
    ['an id', FIXTURE_ACCOUNT],
    ['an expanded account', { id: FIXTURE_ACCOUNT, object: 'account' }],
  ])("without a top-level account the owner is the external account's own account, given as %s", async (_, owner) => {
    // Prepare
    const edit = (event: EditableEvent, external: Record<string, unknown>) => {
      delete event.account;
      external.account = owner;
    };

    // Act
    const result = await projectFixture(edit);

    // Assess
    expect(writesOf(result).map((write) => write.partition)).toEqual([PARTITION]);
  });
});
