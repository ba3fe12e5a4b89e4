import { createHandlerRegistry } from '../../functions/core/handler-registry';
import type { EventOfType, HandlerInput, StripeEventType } from '../../functions/core/handler-registry';
import { connectHandlers, defaultRegistry } from '../../functions/core/handlers';
import { handleAccountApplicationDeauthorized } from '../../functions/core/handlers/account-application-deauthorized';
import { handleAccountExternalAccountUpdated } from '../../functions/core/handlers/account-external-account-updated';
import { handleAccountUpdated } from '../../functions/core/handlers/account-updated';
import { handleBalanceAvailable } from '../../functions/core/handlers/balance-available';
import { handlePaymentIntentSucceeded } from '../../functions/core/handlers/payment-intent-succeeded';
import { handlePayoutFailed } from '../../functions/core/handlers/payout-failed';
import { handlePersonUpdated } from '../../functions/core/handlers/person-updated';
import { parseEvent } from '../../functions/core/stripe-event';
import { FIXTURE_ACCOUNT, loadFixtureEvent } from '../support/event-factory';
import type { FixtureName } from '../support/event-factory';
import { createRecordingLogger } from '../support/fakes';

const PLATFORM_APPLICATION = 'ca_QXg3kVb2Yk4mZ8rTqP1nW6sJ0hLdF9aC';

/** The input the worker would pass for a fixture, typed by its event type (checked at run time). */
const inputFor = <T extends StripeEventType>(name: FixtureName, type: T, edit?: (event: Record<string, unknown>) => void): HandlerInput<EventOfType<T>> => {
  const json = JSON.parse(loadFixtureEvent(name)) as Record<string, unknown>;
  edit?.(json);
  const { envelope, event } = parseEvent(JSON.stringify(json));
  if (event.type !== type) throw new Error(`fixture ${name} is ${event.type}, not ${type}`);
  return { event: event as EventOfType<T>, account: envelope.account, idempotencyKey: envelope.id, logger: createRecordingLogger() };
};

describe('Connect event handlers on the shared fixtures', () => {
  test('account.updated reports the account disabled because requirements are past due', async () => {
    // Prepare
    const input = inputFor('account.updated', 'account.updated');

    // Act
    const summary = await handleAccountUpdated(input);

    // Assess
    expect(summary).toEqual({ account: FIXTURE_ACCOUNT, chargesEnabled: false, payoutsEnabled: false, disabledReason: 'requirements.past_due' });
  });

  test('account.application.deauthorized reports which application lost access to which account', async () => {
    // Prepare
    const input = inputFor('account.application.deauthorized', 'account.application.deauthorized');

    // Act
    const summary = await handleAccountApplicationDeauthorized(input);

    // Assess
    expect(summary).toEqual({ account: FIXTURE_ACCOUNT, application: PLATFORM_APPLICATION });
  });

  test('person.updated reports the person and its unverified status, and no personal data', async () => {
    // Prepare
    const input = inputFor('person.updated', 'person.updated');

    // Act
    const summary = await handlePersonUpdated(input);

    // Assess
    expect(summary).toEqual({ account: FIXTURE_ACCOUNT, person: 'person_1Pgc6oB7WZ01zgkWnmLL70wS', verificationStatus: 'unverified' });
  });

  test('account.external_account.updated reports the errored bank account', async () => {
    // Prepare
    const input = inputFor('account.external_account.updated', 'account.external_account.updated');

    // Act
    const summary = await handleAccountExternalAccountUpdated(input);

    // Assess
    expect(summary).toEqual({ account: FIXTURE_ACCOUNT, externalAccount: 'ba_1PgagAB7WZ01zgkWr3DySp2Q', kind: 'bank_account', status: 'errored' });
  });

  test('payout.failed reports the payout and its failure code', async () => {
    // Prepare
    const input = inputFor('payout.failed', 'payout.failed');

    // Act
    const summary = await handlePayoutFailed(input);

    // Assess
    expect(summary).toEqual({ account: FIXTURE_ACCOUNT, payout: 'po_1Pgc79B7WZ01zgkWu1KToYf4', failureCode: 'account_closed' });
  });

  test('payment_intent.succeeded for a direct charge reports the connected account from the event', async () => {
    // Prepare
    const input = inputFor('payment_intent.succeeded.direct', 'payment_intent.succeeded');

    // Act
    const summary = await handlePaymentIntentSucceeded(input);

    // Assess
    expect(summary).toEqual({ paymentIntent: 'pi_3S3kS1B7WZ01zgkW0aQ8rT5x', account: FIXTURE_ACCOUNT, amount: 1099, currency: 'usd' });
  });

  test('payment_intent.succeeded for a destination charge resolves the account from transfer_data.destination', async () => {
    // Prepare
    const input = inputFor('payment_intent.succeeded.destination', 'payment_intent.succeeded');

    // Act
    const summary = await handlePaymentIntentSucceeded(input);

    // Assess
    expect(input.account).toBeUndefined();
    expect(summary).toEqual({ paymentIntent: 'pi_3S3kT4Lq3Xv8RtYz1pW6nE9b', account: FIXTURE_ACCOUNT, amount: 1099, currency: 'usd' });
  });

  test('payment_intent.succeeded with an expanded transfer_data.destination resolves its id', async () => {
    // Prepare
    const input = inputFor('payment_intent.succeeded.destination', 'payment_intent.succeeded', (event) => {
      const intent = (event.data as { object: Record<string, unknown> }).object;
      intent.transfer_data = { destination: { id: 'acct_1ExpandedDest01', object: 'account' } };
    });

    // Act
    const summary = await handlePaymentIntentSucceeded(input);

    // Assess
    expect(summary).toMatchObject({ account: 'acct_1ExpandedDest01' });
  });

  test('payment_intent.succeeded on the platform with neither destination nor on_behalf_of reports no account', async () => {
    // Prepare
    const input = inputFor('payment_intent.succeeded.destination', 'payment_intent.succeeded', (event) => {
      (event.data as { object: Record<string, unknown> }).object.transfer_data = null;
    });

    // Act
    const summary = await handlePaymentIntentSucceeded(input);

    // Assess
    expect(summary).toMatchObject({ account: null });
  });

  test('balance.available reports the connected account and the currencies available', async () => {
    // Prepare
    const input = inputFor('balance.available', 'balance.available');

    // Act
    const summary = await handleBalanceAvailable(input);

    // Assess
    expect(summary).toEqual({ account: FIXTURE_ACCOUNT, currencies: ['usd'] });
  });

  test("balance.available without a top-level account is the platform's own balance", async () => {
    // Prepare
    const input = inputFor('balance.available', 'balance.available', (event) => {
      delete event.account;
    });

    // Act
    const summary = await handleBalanceAvailable(input);

    // Assess
    expect(summary).toEqual({ account: 'platform', currencies: ['usd'] });
  });
});

describe('handler registry', () => {
  test('the default registry registers exactly the seven Connect handlers', () => {
    // Prepare
    const expected = [
      'account.application.deauthorized',
      'account.external_account.updated',
      'account.updated',
      'balance.available',
      'payment_intent.succeeded',
      'payout.failed',
      'person.updated',
    ];

    // Act
    const types = defaultRegistry.types;

    // Assess
    expect(types).toEqual(expected);
  });

  test('find returns the registered handler for its type', () => {
    // Prepare
    const registry = createHandlerRegistry(connectHandlers);

    // Act
    const found = registry.find('payout.failed');

    // Assess
    expect(found).toBe(handlePayoutFailed);
  });

  test.each(['customer.created', 'v1.billing.meter.no_meter_found', 'constructor', '__proto__', ''])('find returns undefined for %j, which has no handler', (type) => {
    // Prepare
    const registry = createHandlerRegistry({ 'account.updated': handleAccountUpdated });

    // Act
    const found = registry.find(type);

    // Assess
    expect(found).toBeUndefined();
  });

  test('entries that are not functions are left out of the registry', () => {
    // Prepare
    const handlers = { 'account.updated': handleAccountUpdated, 'payout.failed': undefined };

    // Act
    const registry = createHandlerRegistry(handlers);

    // Assess
    expect(registry.types).toEqual(['account.updated']);
  });
});
