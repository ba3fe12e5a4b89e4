import { partitionOf } from '../../functions/core/state/account-keys';
import { createDynamoDbClient } from '../../functions/adapters/aws-clients';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import type { ScenarioSpec } from '../support/connect-scenario';
import { scenarioEvents } from '../support/connect-scenario';
import { stripeId } from '../support/event-factory';
import { createTestTables } from './pipeline-harness';
import { createRealWorker, deliverLikeAQueue } from './worker-harness';

jest.setTimeout(240_000);

const START = 1_790_000_000;
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand']);
const LEASE_MS = 60_000;
const sortedBySk = (records: ReadonlyArray<Record<string, unknown>>) => [...records].sort((a, b) => String(a.sk).localeCompare(String(b.sk)));

/** One event of each projected kind, in order, plus a stale one: every write path of the worker. */
const SPECS: readonly ScenarioSpec[] = [
  { kind: 'account', offset: 1, variant: 1 },
  { kind: 'person', offset: 1, variant: 2 },
  { kind: 'external', offset: 2, variant: 2 },
  { kind: 'payoutFailed', offset: 2, variant: 0 },
  { kind: 'payment', offset: 3, variant: 1 },
  { kind: 'balance', offset: 3, variant: 4 },
  { kind: 'account', offset: 0, variant: 2 },
];

/**
 * A document client that fails the `failAt`-th write: before it reaches DynamoDB (nothing written) or after
 * (written, but the answer lost, as when a worker dies mid-call). Later writes go through.
 */
const faultyClient = (options: { readonly failAt: number; readonly when: 'before' | 'after' }) => {
  const dynamoDb = createDynamoDbClient();
  let writes = 0;
  let injected = false;
  // At the initialize step, outside the SDK's retries: an injected fault reaches the worker as the call's failure, never retried away.
  dynamoDb.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WRITES.has(context.commandName ?? '')) return next(args);
      writes += 1;
      if (writes !== options.failAt) return next(args);
      injected = true;
      if (options.when === 'before') throw new Error(`injected fault before write ${writes}`);
      await next(args);
      throw new Error(`injected fault after write ${writes}`);
    },
    { step: 'initialize', name: 'injectWriteFault' },
  );
  return { client: createDocumentClient({ client: dynamoDb }), writes: () => writes, injected: () => injected };
};

describe('fault injection at every write step', () => {
  test('a failure at any write, then redelivery, leaves the state of one clean run', async () => {
    // Prepare: one set of events; a clean run fixes the expected state and how many writes a run makes.
    const account = `acct_${stripeId('f').slice(2)}`;
    const partition = partitionOf({ account, livemode: false });
    const bodies = scenarioEvents({ specs: SPECS, account, start: START });
    const counter = faultyClient({ failAt: 0, when: 'before' });
    const clean = createRealWorker({ ...(await createTestTables()), client: counter.client });
    for (const body of bodies) await clean.deliver(body);
    const expected = sortedBySk(await clean.state.partition(partition));
    const cleanWrites = counter.writes();
    // A claim and a commit per event, plus the stale event's second commit once its write was dropped.
    expect(cleanWrites).toBe(SPECS.length * 2 + 1);

    for (const when of ['before', 'after'] as const) {
      for (let failAt = 1; failAt <= cleanWrites; failAt += 1) {
        // Act: the same events on fresh tables, a fault at one write, then deliveries until all settle.
        let now = Date.now();
        const faulty = faultyClient({ failAt, when });
        // Each delivery moves the clock past the lease, so a claim orphaned by a fault is taken over.
        const worker = createRealWorker({ ...(await createTestTables()), client: faulty.client, policy: { leaseMs: LEASE_MS, retentionDays: 35 }, clock: () => (now += LEASE_MS + 1) });
        for (const body of bodies) await deliverLikeAQueue({ deliver: worker.deliver, bodies: [body], batchSizes: [1] });

        // Assess
        const actual = sortedBySk(await worker.state.partition(partition));
        expect({ when, failAt, injected: faulty.injected(), records: actual }).toEqual({ when, failAt, injected: true, records: expected });
      }
    }
  });
});
