import type { AcceptedModes } from '../../functions/core/livemode-policy';
import { connectProjections } from '../../functions/core/handlers';
import { accountsV2Projections } from '../../functions/core/handlers/v2';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { createEventProcessor } from '../../functions/core/process-event';
import type { WorkerDependencies } from '../../functions/core/process-event';
import { createFakeStripeV2 } from './fake-stripe-v2';
import type { FakeStripeV2 } from './fake-stripe-v2';
import { THIN_FIXTURE_TYPES, loadThinEvent, loadV2Account, loadV2Person } from './thin-fixtures';
import { createWorkerHarness } from './worker-harness';
import type { WorkerHarness } from './worker-harness';

/** The worker harness with the Accounts v2 projections and a fake Stripe v2 API serving the thin fixtures. */
export interface ThinWorkerHarness extends WorkerHarness {
  readonly stripeV2: FakeStripeV2;
}

export const createThinWorkerHarness = (options: { readonly nowMs?: number; readonly withReader?: boolean; readonly acceptedModes?: AcceptedModes } = {}): ThinWorkerHarness => {
  const base = createWorkerHarness({ nowMs: options.nowMs ?? Date.UTC(2026, 7, 21, 12), ...(options.acceptedModes === undefined ? {} : { acceptedModes: options.acceptedModes }) });
  const stripeV2 = createFakeStripeV2();
  for (const type of THIN_FIXTURE_TYPES) {
    const event = loadThinEvent(type);
    stripeV2.events.set(String(event.id), event);
  }
  const account = loadV2Account();
  stripeV2.accounts.set(String(account.id), account);
  const person = loadV2Person();
  stripeV2.persons.set(String(person.id), person);
  const deps: WorkerDependencies = {
    ...base.deps,
    registry: createHandlerRegistry({ projections: connectProjections, thin: accountsV2Projections }),
    ...(options.withReader === false ? {} : { stripeV2 }),
  };
  return { ...base, deps, process: createEventProcessor(deps), stripeV2 };
};

/** An EventBridge event as Stripe's partner event source delivers it, with `detail` the Stripe event. */
export const eventBridgeEnvelope = (detail: Record<string, unknown>, options: { readonly destination?: string } = {}): string =>
  JSON.stringify({
    version: '0',
    id: '6f3c1a2e-1b2c-4d5e-8f90-0a1b2c3d4e5f',
    'detail-type': String(detail.type),
    source: `aws.partner/stripe.com/${options.destination ?? 'ed_test_61RVxkRZ3uSxhCmrA16RVxkRZ3uSxhCmrA'}`,
    account: '123456789012',
    time: typeof detail.created === 'string' ? detail.created : new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail,
  });
