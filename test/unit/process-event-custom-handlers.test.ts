import type Stripe from 'stripe';
import type { EventHandler, HandlerInput } from '../../functions/core/handler-registry';
import { projectAccountUpdated } from '../../functions/core/handlers/account-updated';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordOutcome } from '../../functions/core/process-event';
import { FIXTURE_ACCOUNT } from '../support/event-factory';
import type { FakeStripeClient } from '../support/fakes';
import { fixtureEvent } from '../support/projection-input';
import { createWorkerHarness, deliver } from '../support/worker-harness';

const ACCOUNT_UPDATED_ID = 'evt_1S3kQ7B7WZ01zgkWc2Lx9PaD';

/** What a custom handler saw, without touching its `stripe`. */
const seen = (input: HandlerInput<Stripe.Event>) => ({ account: input.account, idempotencyKey: input.idempotencyKey, eventId: input.event.id });

describe('event processor: custom handler input', () => {
  test('a custom handler receives the account and the event id as idempotency key', async () => {
    // Prepare
    const calls: unknown[] = [];
    const harness = createWorkerHarness({ custom: { 'account.updated': async (input) => (calls.push(seen(input)), {}) } });

    // Act
    await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(calls).toEqual([{ account: FIXTURE_ACCOUNT, idempotencyKey: ACCOUNT_UPDATED_ID, eventId: ACCOUNT_UPDATED_ID }]);
  });

  test('no Stripe client is built when no handler touches stripe', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: { 'account.updated': async () => ({ outcome: { done: true } }) } });

    // Act
    await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(harness.stripe.calls).toEqual([]);
  });

  test("using stripe builds one client, acting as the event's account, on first use", async () => {
    // Prepare
    const clients: unknown[] = [];
    const handler: EventHandler<'account.updated'> = async ({ stripe }) => {
      clients.push(stripe, stripe);
      return {};
    };
    const harness = createWorkerHarness({ custom: { 'account.updated': [handler, handler] } });

    // Act
    await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(harness.stripe.calls).toEqual([FIXTURE_ACCOUNT]);
    expect(new Set(clients).size).toBe(1);
    expect((clients[0] as FakeStripeClient).actingAs).toBe(FIXTURE_ACCOUNT);
  });

  test('for a platform event the client acts as the platform (no account)', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: { 'payment_intent.succeeded': async ({ stripe }) => ({ outcome: { client: (stripe as unknown as FakeStripeClient).actingAs ?? 'platform' } }) } });

    // Act
    await deliver(harness, fixtureEvent('payment_intent.succeeded.destination'));

    // Assess
    expect(harness.stripe.calls).toEqual([undefined]);
  });
});

describe('event processor: projections and custom handlers together', () => {
  test('projections run before the custom handlers, each in registration order', async () => {
    // Prepare
    const order: string[] = [];
    const step = (name: string): EventHandler<'account.updated'> => async () => (order.push(name), {});
    const harness = createWorkerHarness({ projections: { 'account.updated': [step('projection 1'), step('projection 2')] }, custom: { 'account.updated': [step('custom 1'), step('custom 2')] } });

    // Act
    await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(order).toEqual(['projection 1', 'projection 2', 'custom 1', 'custom 2']);
  });

  test('the outcomes of every handler are merged on the ledger record', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: { 'account.updated': async () => ({ outcome: { notified: 'ops@example.com' } }) } });

    // Act
    await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(harness.ledger.raw(ACCOUNT_UPDATED_ID)?.outcome).toEqual({ profileStatus: 'restricted', notified: 'ops@example.com' });
  });

  test('a custom handler that throws fails the event for a retry, and none of the projection writes land', async () => {
    // Prepare
    const harness = createWorkerHarness({ custom: { 'account.updated': async () => Promise.reject(new Error('CRM is down')) } });

    // Act
    const outcome = await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    expect(harness.ledger.raw(ACCOUNT_UPDATED_ID)).toMatchObject({ status: LedgerStatus.failed, lastError: expect.stringContaining('CRM is down') });
    expect(harness.state.all()).toEqual([]);
  });

  test('a projection that throws stops the event before any custom handler starts', async () => {
    // Prepare
    const customCalls: string[] = [];
    const harness = createWorkerHarness({
      projections: { 'account.updated': async () => Promise.reject(new Error('projection bug')) },
      custom: { 'account.updated': async (input) => (customCalls.push(input.event.id), {}) },
    });

    // Act
    const outcome = await deliver(harness, fixtureEvent('account.updated'));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    expect(customCalls).toEqual([]);
  });

  test('the redelivery after a custom handler failed commits the projection writes once it succeeds', async () => {
    // Prepare
    let failuresLeft = 1;
    const harness = createWorkerHarness({
      projections: { 'account.updated': projectAccountUpdated },
      custom: { 'account.updated': async () => (failuresLeft-- > 0 ? Promise.reject(new Error('flaky')) : {}) },
    });
    await deliver(harness, fixtureEvent('account.updated'));

    // Act
    const outcome = await deliver(harness, fixtureEvent('account.updated'), { receiveCount: 2 });

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.ledger.raw(ACCOUNT_UPDATED_ID)).toMatchObject({ status: LedgerStatus.processed, attempts: 2 });
    expect(harness.state.get(`ACCOUNT#${FIXTURE_ACCOUNT}#test`, 'PROFILE')).toMatchObject({ sourceEventId: ACCOUNT_UPDATED_ID });
  });
});
