import { createHandlerRegistry } from '../../functions/core/handler-registry';
import type { EventHandler, HandlerMap } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { projectAccountUpdated } from '../../functions/core/handlers/account-updated';
import { projectPayoutFailed } from '../../functions/core/handlers/payout-failed';
import { defaultRegistry } from '../../functions/worker/create-handler';

const CONNECT_TYPES = [
  'account.application.authorized',
  'account.application.deauthorized',
  'account.external_account.updated',
  'account.updated',
  'balance.available',
  'payment_intent.succeeded',
  'payout.failed',
  'payout.paid',
  'person.updated',
];

/** A handler that does nothing, distinguishable by identity. */
const noop = (): EventHandler<'account.updated'> => async () => ({});

describe('handler registry: the built-in projections', () => {
  test('the Connect projections cover exactly the nine Connect event types', () => {
    // Prepare
    const registry = createHandlerRegistry({ projections: connectProjections });

    // Act
    const types = registry.types;

    // Assess
    expect(types).toEqual(CONNECT_TYPES);
  });

  test("the worker's default registry finds the built-in projection of each Connect type", () => {
    // Prepare
    const registry = defaultRegistry();

    // Act
    const found = CONNECT_TYPES.map((type) => registry.find(type).projections);

    // Assess
    expect(found).toEqual(CONNECT_TYPES.map((type) => [connectProjections[type as keyof HandlerMap]]));
  });

  test('find returns the registered projection for its type and no custom handler', () => {
    // Prepare
    const registry = createHandlerRegistry({ projections: connectProjections });

    // Act
    const found = registry.find('payout.failed');

    // Assess
    expect(found).toEqual({ projections: [projectPayoutFailed], custom: [] });
  });
});

describe('handler registry: projections and custom handlers', () => {
  test('several handlers of one type are all returned, in the order given', () => {
    // Prepare
    const [first, second, third] = [noop(), noop(), noop()];
    const registry = createHandlerRegistry({ projections: { 'account.updated': [first, second] }, custom: { 'account.updated': [third, first] } });

    // Act
    const found = registry.find('account.updated');

    // Assess
    expect(found.projections).toEqual([first, second]);
    expect(found.projections[0]).toBe(first);
    expect(found.custom).toEqual([third, first]);
  });

  test('projections and custom handlers of one type are kept apart, projections first in the result', () => {
    // Prepare
    const custom = noop();
    const registry = createHandlerRegistry({ projections: { 'account.updated': projectAccountUpdated }, custom: { 'account.updated': custom } });

    // Act
    const found = registry.find('account.updated');

    // Assess
    expect(Object.keys(found)).toEqual(['projections', 'custom']);
    expect(found).toEqual({ projections: [projectAccountUpdated], custom: [custom] });
  });

  test('a type with only custom handlers is listed and finds no projection', () => {
    // Prepare
    const custom: EventHandler<'customer.created'> = async () => ({});
    const registry = createHandlerRegistry({ projections: { 'account.updated': projectAccountUpdated }, custom: { 'customer.created': custom } });

    // Act
    const found = registry.find('customer.created');

    // Assess
    expect(found).toEqual({ projections: [], custom: [custom] });
    expect(registry.types).toEqual(['account.updated', 'customer.created']);
  });

  test('types lists each type once, sorted, whether it has projections, custom handlers or both', () => {
    // Prepare
    const options = { projections: { 'payout.failed': projectPayoutFailed, 'account.updated': projectAccountUpdated }, custom: { 'account.updated': noop() } };

    // Act
    const registry = createHandlerRegistry(options);

    // Assess
    expect(registry.types).toEqual(['account.updated', 'payout.failed']);
  });

  test.each(['customer.created', 'v1.billing.meter.no_meter_found', 'constructor', '__proto__', 'toString', ''])('find returns empty lists for %j, which has no handler', (type) => {
    // Prepare
    const registry = createHandlerRegistry({ projections: { 'account.updated': projectAccountUpdated }, custom: { 'account.updated': noop() } });

    // Act
    const found = registry.find(type);

    // Assess
    expect(found).toEqual({ projections: [], custom: [] });
  });

  test('entries that are not functions, and empty lists, are left out of the registry', () => {
    // Prepare
    const handler = noop();
    const projections = { 'account.updated': [handler, undefined], 'payout.failed': undefined, 'person.updated': [] } as unknown as HandlerMap;

    // Act
    const registry = createHandlerRegistry({ projections });

    // Assess
    expect(registry.types).toEqual(['account.updated']);
    expect(registry.find('account.updated').projections).toEqual([handler]);
  });
});
