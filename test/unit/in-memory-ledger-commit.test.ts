import { LedgerError } from '../../functions/core/errors';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { RecordKey, partitionOf } from '../../functions/core/state/account-keys';
import { STATE_FACET, eventVersion, versionAttribute } from '../../functions/core/state/state-write';
import type { DeauthorizationGuard, StateWrite } from '../../functions/core/state/state-write';
import { captureError } from '../support/capture-error';
import { DEAUTHORIZED_REASON, createInMemoryEventLedger } from '../support/fakes';

/**
 * The in-memory ledger is the unit tests' stand-in for `dynamodb-state-commit.ts`; these tests pin the rules
 * it must share with it.
 */
const NOW = Date.UTC(2026, 7, 20, 15, 12, 7);
const PARTITION = partitionOf({ account: 'acct_1CommitTest00001', livemode: false });
const EVENT = { id: 'evt_1CommitTestEvent0001', created: 1787238727 };
const VERSION = eventVersion(EVENT);
const OLDER = eventVersion({ created: EVENT.created - 1, id: EVENT.id });
const NEWER = eventVersion({ created: EVENT.created + 1, id: EVENT.id });

const write = (item: string, set: Record<string, unknown>, extra: Partial<StateWrite> = {}): StateWrite => ({ partition: PARTITION, item, facet: STATE_FACET, version: VERSION, set, ...extra });
const guard: DeauthorizationGuard = { partition: PARTITION, item: RecordKey.deauthorization, versionAttribute: versionAttribute(STATE_FACET), authorizationAttribute: versionAttribute('authorization'), version: VERSION };

/** A ledger holding the event claimed by this worker. */
const claimed = async () => {
  const ledger = createInMemoryEventLedger();
  const claim = await ledger.claim({ facts: { eventId: EVENT.id, eventType: 'account.updated', livemode: false, created: EVENT.created }, nowMs: NOW });
  if (claim.kind !== 'claimed') throw new Error('not claimed');
  const complete = (writes: readonly StateWrite[], guards: readonly DeauthorizationGuard[] = []) =>
    ledger.complete({ eventId: EVENT.id, leaseToken: claim.leaseToken, outcome: { ok: true }, writes, guards, nowMs: NOW + 1000 });
  return { ledger, state: ledger.state, complete };
};

describe('in-memory ledger commit: writes', () => {
  test('writes land with their version, and the event is recorded processed, not stale, without its lease', async () => {
    // Prepare
    const { ledger, state, complete } = await claimed();

    // Act
    const result = await complete([write('BALANCE', { available: [] }), write('PAYOUT#po_1', { status: 'paid' })]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 2, stale: 0 });
    expect(state.get(PARTITION, 'BALANCE')).toEqual({ pk: PARTITION, sk: 'BALANCE', available: [], stateVersion: VERSION });
    const record = ledger.raw(EVENT.id);
    expect(record).toMatchObject({ status: LedgerStatus.processed, stale: false, outcome: { ok: true }, processedAt: new Date(NOW + 1000).toISOString() });
    expect(record).not.toHaveProperty('leaseToken');
  });

  test('a write not newer than its facet (older or equal) is dropped as stale and the others still land', async () => {
    // Prepare
    const { ledger, state, complete } = await claimed();
    state.seed(PARTITION, 'PAYOUT#po_old', { status: 'paid', stateVersion: NEWER });
    state.seed(PARTITION, 'PAYOUT#po_same', { status: 'paid', stateVersion: VERSION });

    // Act
    const result = await complete([write('PAYOUT#po_old', { status: 'failed' }), write('PAYOUT#po_same', { status: 'failed' }), write('BALANCE', { available: [] })]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 1, stale: 2 });
    expect(state.get(PARTITION, 'PAYOUT#po_old')).toMatchObject({ status: 'paid', stateVersion: NEWER });
    expect(state.get(PARTITION, 'PAYOUT#po_same')).toMatchObject({ status: 'paid' });
    expect(state.get(PARTITION, 'BALANCE')).toBeDefined();
    expect(ledger.raw(EVENT.id)).toMatchObject({ status: LedgerStatus.processed, stale: false });
  });

  test('when every write is stale the event is recorded processed with stale: true', async () => {
    // Prepare
    const { ledger, state, complete } = await claimed();
    state.seed(PARTITION, 'BALANCE', { available: ['newer'], stateVersion: NEWER });

    // Act
    const result = await complete([write('BALANCE', { available: [] })]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 0, stale: 1 });
    expect(ledger.raw(EVENT.id)).toMatchObject({ status: LedgerStatus.processed, stale: true });
    expect(state.get(PARTITION, 'BALANCE')).toMatchObject({ available: ['newer'] });
  });

  test('setOnce is written only where the attribute is absent; set attributes are replaced', async () => {
    // Prepare
    const { state, complete } = await claimed();
    state.seed(PARTITION, 'PAYMENT#pi_1', { status: 'processing', fulfilmentStatus: 'shipped', stateVersion: OLDER });

    // Act
    await complete([write('PAYMENT#pi_1', { status: 'succeeded' }, { setOnce: { fulfilmentStatus: 'pending', note: 'first' } })]);

    // Assess
    expect(state.get(PARTITION, 'PAYMENT#pi_1')).toEqual({ pk: PARTITION, sk: 'PAYMENT#pi_1', status: 'succeeded', fulfilmentStatus: 'shipped', note: 'first', stateVersion: VERSION });
  });

  test('facets of one item are versioned independently', async () => {
    // Prepare
    const { state, complete } = await claimed();
    state.seed(PARTITION, 'PROFILE', { profileVersion: NEWER, chargesEnabled: true });

    // Act
    const result = await complete([write('PROFILE', { note: 'x' }, { facet: 'notes' })]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 1, stale: 0 });
    expect(state.get(PARTITION, 'PROFILE')).toMatchObject({ profileVersion: NEWER, notesVersion: VERSION, chargesEnabled: true, note: 'x' });
  });

  test('two writes to one record are refused like DynamoDB refuses the transaction, and nothing changes', async () => {
    // Prepare
    const { ledger, state, complete } = await claimed();

    // Act
    const error = await captureError(() => complete([write('BALANCE', { a: 1 }), write('BALANCE', { b: 2 }, { facet: 'other' })]));

    // Assess
    expect(error).toBeInstanceOf(LedgerError);
    expect(state.all()).toEqual([]);
    expect(ledger.raw(EVENT.id)).toMatchObject({ status: LedgerStatus.processing });
  });
});

describe('in-memory ledger commit: guards and the lease', () => {
  test('a deauthorization at or before the event blocks the commit: ignored with the reason, nothing written', async () => {
    // Prepare
    const { ledger, state, complete } = await claimed();
    state.seed(PARTITION, RecordKey.deauthorization, { stateVersion: VERSION });

    // Act
    const result = await complete([write('BALANCE', { available: [] })], [guard]);

    // Assess
    expect(result).toEqual({ kind: 'blocked', reason: DEAUTHORIZED_REASON });
    expect(state.get(PARTITION, 'BALANCE')).toBeUndefined();
    const record = ledger.raw(EVENT.id);
    expect(record).toMatchObject({ status: LedgerStatus.ignored, ignoredReason: DEAUTHORIZED_REASON });
    expect(record).not.toHaveProperty('leaseToken');
    expect(record).not.toHaveProperty('processedAt');
  });

  test('a deauthorization after the event lets the commit through', async () => {
    // Prepare
    const { state, complete } = await claimed();
    state.seed(PARTITION, RecordKey.deauthorization, { stateVersion: NEWER });

    // Act
    const result = await complete([write('BALANCE', { available: [] })], [guard]);

    // Assess
    expect(result).toEqual({ kind: 'completed', applied: 1, stale: 0 });
  });

  test('a lost lease (another worker took the event over) writes nothing, even when a guard would also fail', async () => {
    // Prepare
    const { ledger, state, complete } = await claimed();
    state.seed(PARTITION, RecordKey.deauthorization, { stateVersion: OLDER });
    const facts = { eventId: EVENT.id, eventType: 'account.updated', livemode: false, created: EVENT.created };
    await ledger.claim({ facts, nowMs: NOW + ledger.policy.leaseMs });

    // Act
    const result = await complete([write('BALANCE', { available: [] })], [guard]);

    // Assess
    expect(result).toEqual({ kind: 'lease-lost' });
    expect(state.get(PARTITION, 'BALANCE')).toBeUndefined();
    expect(ledger.raw(EVENT.id)).toMatchObject({ status: LedgerStatus.processing, attempts: 2 });
  });
});
