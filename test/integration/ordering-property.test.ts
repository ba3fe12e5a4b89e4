import fc from 'fast-check';
import { partitionOf } from '../../functions/core/state/account-keys';
import { SCENARIO_KINDS, scenarioEvents } from '../support/connect-scenario';
import type { ScenarioSpec } from '../support/connect-scenario';
import { stripeId } from '../support/event-factory';
import { createTestTables } from './pipeline-harness';
import { createRealWorker, deliverLikeAQueue } from './worker-harness';

jest.setTimeout(240_000);

const START = 1_790_000_000;
const byVersion = (a: string, b: string) => {
  const [ea, eb] = [JSON.parse(a), JSON.parse(b)] as Array<{ created: number; id: string }>;
  return ea!.created - eb!.created || (ea!.id < eb!.id ? -1 : ea!.id > eb!.id ? 1 : 0);
};
const sortedRecords = (records: ReadonlyArray<Record<string, unknown>>) => [...records].sort((a, b) => String(a.sk).localeCompare(String(b.sk)));

const specArbitrary = fc.record({ kind: fc.constantFrom(...SCENARIO_KINDS), offset: fc.integer({ min: 0, max: 3 }), variant: fc.nat(11) });

const scenarioArbitrary = fc
  .record({
    specs: fc.array(specArbitrary, { minLength: 1, maxLength: 9 }),
    deauthorize: fc.boolean(),
    batchSizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
  })
  .chain((scenario) => {
    const count = scenario.specs.length + (scenario.deauthorize ? 1 : 0);
    return fc.record({
      scenario: fc.constant(scenario),
      copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: count, maxLength: count }),
      orderKeys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: count * 3, maxLength: count * 3 }),
    });
  });

describe('order safety and exactly-once effects (fast-check against DynamoDB Local)', () => {
  test('any interleaving, duplication and reordering of an account’s events ends in the state of in-order, once-only delivery', async () => {
    // Prepare
    const [referenceTables, subjectTables] = await Promise.all([createTestTables(), createTestTables()]);
    const reference = createRealWorker(referenceTables);
    const subject = createRealWorker(subjectTables);

    // Act + Assess, once per generated scenario
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ scenario, copies, orderKeys }) => {
        const account = `acct_${stripeId('p').slice(2)}`;
        // Stripe sends nothing for an account after it deauthorized the platform, so the deauthorization comes last.
        const specs: ScenarioSpec[] = [...scenario.specs, ...(scenario.deauthorize ? [{ kind: 'deauthorization', offset: 4, variant: 0 } as const] : [])];
        const events = scenarioEvents({ specs, account, start: START });
        for (const body of [...events].sort(byVersion)) await reference.deliver(body);
        const deliveries = events.flatMap((body, index) => Array.from({ length: copies[index] ?? 1 }, () => body));
        const shuffled = deliveries.map((body, index) => ({ body, key: orderKeys[index] ?? 0 })).sort((a, b) => a.key - b.key).map(({ body }) => body);
        await deliverLikeAQueue({ deliver: subject.deliver, bodies: shuffled, batchSizes: scenario.batchSizes });
        const partition = partitionOf({ account, livemode: false });
        const [expected, actual] = await Promise.all([reference.state.partition(partition), subject.state.partition(partition)]);
        expect(sortedRecords(actual)).toEqual(sortedRecords(expected));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  });
});
