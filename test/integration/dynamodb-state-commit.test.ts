import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbAccountState } from '../../functions/adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import type { AccountStateReader, EventLedger, LedgerEventFacts } from '../../functions/core/ports';
import { RecordKey, partitionOf } from '../../functions/core/state/account-keys';
import { STATE_FACET, eventVersion, versionAttribute } from '../../functions/core/state/state-write';
import type { StateWrite } from '../../functions/core/state/state-write';
import { stripeId } from '../support/event-factory';
import { createTestTables } from './pipeline-harness';

jest.setTimeout(30_000);

const T0 = 1_790_000_000;
const NOW = Date.UTC(2026, 10, 1);

describe('committing state writes with the ledger, against DynamoDB Local', () => {
  let ledger: EventLedger;
  let state: AccountStateReader;

  beforeAll(async () => {
    const { ledgerTable, stateTable } = await createTestTables();
    const client = createDocumentClient();
    ledger = createDynamoDbEventLedger({ client, tableName: ledgerTable, stateTableName: stateTable });
    state = createDynamoDbAccountState({ client, tableName: stateTable });
  });

  const partition = () => partitionOf({ account: `acct_${stripeId('t').slice(2)}`, livemode: false });
  const balanceWrite = (target: string, created: number, amount: number, id = stripeId('evt')): StateWrite => ({
    partition: target,
    item: RecordKey.balance,
    facet: STATE_FACET,
    version: eventVersion({ created, id }),
    set: { available: [{ currency: 'usd', amount }] },
  });

  /** Claims a fresh event and commits `writes` for it. */
  const deliver = async (writes: readonly StateWrite[], guards: Parameters<EventLedger['complete']>[0]['guards'] = []) => {
    const facts: LedgerEventFacts = { eventId: stripeId('evt'), eventType: 'balance.available', livemode: false, created: T0 };
    const claim = await ledger.claim({ facts, nowMs: NOW });
    if (claim.kind !== 'claimed') throw new Error('expected a claim');
    const result = await ledger.complete({ eventId: facts.eventId, leaseToken: claim.leaseToken, outcome: {}, writes, guards, nowMs: NOW });
    return { result, record: await ledger.get({ eventId: facts.eventId, nowMs: NOW }) };
  };

  const balanceOf = async (target: string) => (await state.partition(target)).find((item) => item.sk === RecordKey.balance);

  test('the writes and the processed mark land together, with the version on the record', async () => {
    // Prepare
    const target = partition();
    const write = balanceWrite(target, T0, 100);

    // Act
    const { result, record } = await deliver([write]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 1, stale: 0 });
    expect(record).toMatchObject({ status: 'processed', stale: false });
    expect(await balanceOf(target)).toMatchObject({ available: [{ currency: 'usd', amount: 100 }], [versionAttribute(STATE_FACET)]: write.version });
  });

  test('an older event never overwrites newer state: its write is dropped and the event recorded stale', async () => {
    // Prepare
    const target = partition();
    await deliver([balanceWrite(target, T0 + 10, 200)]);

    // Act
    const { result, record } = await deliver([balanceWrite(target, T0 + 5, 100)]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 0, stale: 1 });
    expect(record).toMatchObject({ status: 'processed', stale: true });
    expect(await balanceOf(target)).toMatchObject({ available: [{ currency: 'usd', amount: 200 }] });
  });

  test('within one commit a stale write is dropped while the fresh ones land', async () => {
    // Prepare
    const [stalePartition, freshPartition] = [partition(), partition()];
    await deliver([balanceWrite(stalePartition, T0 + 10, 200)]);

    // Act
    const { result } = await deliver([balanceWrite(stalePartition, T0, 1), balanceWrite(freshPartition, T0, 2)]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 1, stale: 1 });
    expect(await balanceOf(stalePartition)).toMatchObject({ available: [{ amount: 200 }] });
    expect(await balanceOf(freshPartition)).toMatchObject({ available: [{ amount: 2 }] });
  });

  test('setOnce values are written on creation and never reset by later events', async () => {
    // Prepare
    const target = partition();
    const payment = (created: number, status: string): StateWrite => ({
      partition: target,
      item: RecordKey.payment('pi_1'),
      facet: STATE_FACET,
      version: eventVersion({ created, id: stripeId('evt') }),
      set: { status },
      setOnce: { fulfilmentStatus: status === 'succeeded' ? 'pending' : 'unexpected' },
    });
    await deliver([payment(T0, 'succeeded')]);

    // Act
    await deliver([payment(T0 + 1, 'later')]);

    // Assess
    expect((await state.partition(target))[0]).toMatchObject({ status: 'later', fulfilmentStatus: 'pending' });
  });

  test('a guard on a deauthorization at or before the event records it ignored and writes nothing', async () => {
    // Prepare
    const target = partition();
    const deauthorization: StateWrite = { partition: target, item: RecordKey.deauthorization, facet: STATE_FACET, version: eventVersion({ created: T0, id: 'evt_a' }), set: { deauthorizedAt: 'x' } };
    await deliver([deauthorization]);
    const guard = { partition: target, item: RecordKey.deauthorization, versionAttribute: versionAttribute(STATE_FACET), authorizationAttribute: versionAttribute('authorization'), version: eventVersion({ created: T0 + 1, id: 'evt_b' }) };

    // Act
    const { result, record } = await deliver([balanceWrite(target, T0 + 1, 5)], [guard]);

    // Assess
    expect(result.kind).toBe('blocked');
    expect(record).toMatchObject({ status: 'ignored', ignoredReason: expect.stringContaining('deauthorized') });
    expect(await balanceOf(target)).toBeUndefined();
  });

  test('events created before the deauthorization still land', async () => {
    // Prepare
    const target = partition();
    await deliver([{ partition: target, item: RecordKey.deauthorization, facet: STATE_FACET, version: eventVersion({ created: T0 + 5, id: 'evt_a' }), set: {} }]);
    const guard = { partition: target, item: RecordKey.deauthorization, versionAttribute: versionAttribute(STATE_FACET), authorizationAttribute: versionAttribute('authorization'), version: eventVersion({ created: T0, id: 'evt_b' }) };

    // Act
    const { result } = await deliver([balanceWrite(target, T0, 5)], [guard]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 1, stale: 0 });
  });

  test('a worker whose lease was taken over commits nothing', async () => {
    // Prepare
    const target = partition();
    const facts: LedgerEventFacts = { eventId: stripeId('evt'), eventType: 'balance.available', livemode: false, created: T0 };
    const first = await ledger.claim({ facts, nowMs: NOW });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    const takeover = await ledger.claim({ facts, nowMs: NOW + 10 * 60_000 });
    expect(takeover.kind).toBe('claimed');

    // Act
    const result = await ledger.complete({ eventId: facts.eventId, leaseToken: first.leaseToken, outcome: {}, writes: [balanceWrite(target, T0, 1)], nowMs: NOW });

    // Assess
    expect(result).toEqual({ kind: 'lease-lost' });
    expect(await balanceOf(target)).toBeUndefined();
  });
});
