import { projectAccountApplicationDeauthorized } from '../../functions/core/handlers/account-application-deauthorized';
import { projectBalanceAvailable } from '../../functions/core/handlers/balance-available';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import { fixtureEvent, project, writeTo } from '../support/projection-input';
import type { EditableEvent } from '../support/projection-input';

/** The balance.available projection of the fixture after `edit`. */
const projectBalance = (edit?: (event: EditableEvent, balance: Record<string, unknown>) => void) =>
  project('balance.available', projectBalanceAvailable, fixtureEvent('balance.available', (event) => edit?.(event, event.data.object)));

/** The deauthorization projection of the fixture after `edit`. */
const projectDeauthorization = (edit?: (event: EditableEvent, application: Record<string, unknown>) => void) =>
  project('account.application.deauthorized', projectAccountApplicationDeauthorized, fixtureEvent('account.application.deauthorized', (event) => edit?.(event, event.data.object)));

describe('balance.available projection: variations', () => {
  test.each([
    [false, 'PLATFORM#test'],
    [true, 'PLATFORM#live'],
  ])("without a top-level account it is the platform's own balance (livemode %s → %s)", async (livemode, partition) => {
    // Prepare
    const edit = (event: EditableEvent) => {
      delete event.account;
      event.livemode = livemode;
    };

    // Act
    const result = await projectBalance(edit);

    // Assess
    expect(writeTo(result, 'BALANCE').partition).toBe(partition);
    expect(result.outcome).toEqual({ owner: 'platform', currencies: ['usd'] });
  });

  test('several currencies are all recorded, in the order Stripe sent them', async () => {
    // Prepare
    const edit = (_: EditableEvent, balance: Record<string, unknown>) => {
      balance.available = [
        { amount: 914, currency: 'usd', source_types: { card: 914 } },
        { amount: 5000, currency: 'eur', source_types: { card: 4000, bank_account: 1000 } },
      ];
    };

    // Act
    const result = await projectBalance(edit);

    // Assess
    expect(writeTo(result, 'BALANCE').set.available).toEqual([
      { currency: 'usd', amount: 914, sourceTypes: { card: 914 } },
      { currency: 'eur', amount: 5000, sourceTypes: { card: 4000, bank_account: 1000 } },
    ]);
    expect(result.outcome).toEqual({ owner: FIXTURE_ACCOUNT, currencies: ['usd', 'eur'] });
  });

  test('pending absent, available null and an older API without source_types give empty lists and maps', async () => {
    // Prepare
    const edit = (event: EditableEvent, balance: Record<string, unknown>) => {
      event.api_version = '2014-03-28';
      delete balance.pending;
      balance.available = null;
    };

    // Act
    const result = await projectBalance(edit);

    // Assess
    expect(writeTo(result, 'BALANCE').set).toMatchObject({ available: [], pending: [] });
    expect(result.outcome).toEqual({ owner: FIXTURE_ACCOUNT, currencies: [] });
  });

  test('entries without source_types record an empty map', async () => {
    // Prepare
    const edit = (_: EditableEvent, balance: Record<string, unknown>) => {
      balance.available = [{ amount: 10, currency: 'usd' }];
    };

    // Act
    const result = await projectBalance(edit);

    // Assess
    expect(writeTo(result, 'BALANCE').set.available).toEqual([{ currency: 'usd', amount: 10, sourceTypes: {} }]);
  });

  test('unknown extra keys (including balance fields it does not keep) and request: null project the same write', async () => {
    // Prepare
    const baseline = await projectBalance();
    const edit = (event: EditableEvent, balance: Record<string, unknown>) => {
      event.request = null;
      event.context = 'unknown-envelope-key';
      balance.instant_available = [{ amount: 914, currency: 'usd' }];
      balance.refund_and_dispute_prefunding = { available: [], pending: [] };
    };

    // Act
    const result = await projectBalance(edit);

    // Assess
    expect(result).toEqual(baseline);
  });
});

describe('account.application.deauthorized projection: variations', () => {
  test('a platform event without a connected account writes nothing and says why', async () => {
    // Prepare
    const edit = (event: EditableEvent) => {
      delete event.account;
    };

    // Act
    const result = await projectDeauthorization(edit);

    // Assess
    expect(result).toEqual({ outcome: { skipped: 'platform event without a connected account' } });
  });

  test('an application without a name records a null name', async () => {
    // Prepare
    const edit = (_: EditableEvent, application: Record<string, unknown>) => {
      delete application.name;
    };

    // Act
    const result = await projectDeauthorization(edit);

    // Assess
    expect(writeTo(result, 'DEAUTHORIZATION').set).toMatchObject({ application: 'ca_QXg3kVb2Yk4mZ8rTqP1nW6sJ0hLdF9aC', applicationName: null });
  });

  test('a live-mode deauthorization writes the live partition only', async () => {
    // Prepare
    const edit = (event: EditableEvent) => {
      event.livemode = true;
    };

    // Act
    const result = await projectDeauthorization(edit);

    // Assess
    expect(writeTo(result, 'DEAUTHORIZATION').partition).toBe(`ACCOUNT#${FIXTURE_ACCOUNT}#live`);
  });

  test('unknown extra keys and request: null project the same write', async () => {
    // Prepare
    const baseline = await projectDeauthorization();
    const edit = (event: EditableEvent, application: Record<string, unknown>) => {
      event.request = null;
      application.future_field = 'unknown-object-key';
    };

    // Act
    const result = await projectDeauthorization(edit);

    // Assess
    expect(result).toEqual(baseline);
  });
});
