import { randomBytes } from 'node:crypto';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import type { LedgerPolicy } from '../../functions/core/ledger-record';
import type { EventLedger, LedgerEventFacts } from '../../functions/core/ports';
import { stripeId } from '../support/event-factory';
import { createTestTables } from './pipeline-harness';

jest.setTimeout(30_000);

const POLICY: LedgerPolicy = { leaseMs: 10_000, retentionDays: 35 };
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const factsFor = (eventId = stripeId('evt')): LedgerEventFacts => ({
  eventId,
  eventType: 'account.updated',
  account: 'acct_1PgafTB7WZ01zgkW',
  livemode: false,
  created: Math.floor(T0 / 1000),
});

describe('DynamoDB event ledger against DynamoDB Local', () => {
  let ledger: EventLedger;

  beforeAll(async () => {
    const { ledgerTable, stateTable } = await createTestTables();
    ledger = createDynamoDbEventLedger({ client: createDocumentClient(), tableName: ledgerTable, stateTableName: stateTable, policy: POLICY });
  });

  test('a first claim creates a processing record with attempts 1, a lease and a TTL of the retention', async () => {
    // Prepare
    const facts = factsFor();

    // Act
    const claim = await ledger.claim({ facts, nowMs: T0 });

    // Assess
    expect(claim.kind).toBe('claimed');
    expect(await ledger.get({ eventId: facts.eventId, nowMs: T0 })).toMatchObject({
      status: 'processing',
      attempts: 1,
      leaseExpiresAt: T0 + POLICY.leaseMs,
      expiresAt: Math.floor((T0 + 35 * DAY_MS) / 1000),
      firstReceivedAt: new Date(T0).toISOString(),
    });
  });

  test('20 concurrent claims of one event: exactly one wins, the others see it in flight', async () => {
    // Prepare
    const facts = factsFor();

    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.claim({ facts, nowMs: T0 })));

    // Assess
    expect(results.filter((result) => result.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result.kind === 'in-flight')).toHaveLength(19);
  });

  test('a processed event is a duplicate for every later delivery', async () => {
    // Prepare
    const facts = factsFor();
    const claim = await ledger.claim({ facts, nowMs: T0 });
    if (claim.kind !== 'claimed') throw new Error('expected a claim');
    await ledger.complete({ eventId: facts.eventId, leaseToken: claim.leaseToken, outcome: { ok: true }, writes: [], nowMs: T0 + 1 });

    // Act
    const again = await ledger.claim({ facts, nowMs: T0 + 20 * DAY_MS });

    // Assess
    expect(again).toMatchObject({ kind: 'duplicate', record: { status: 'processed', attempts: 1, outcome: { ok: true } } });
  });

  test('a failed event is claimed again by its next delivery, attempts counting the runs', async () => {
    // Prepare
    const facts = factsFor();
    const first = await ledger.claim({ facts, nowMs: T0 });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    await ledger.fail({ eventId: facts.eventId, leaseToken: first.leaseToken, error: 'boom', nowMs: T0 + 1 });

    // Act
    const second = await ledger.claim({ facts, nowMs: T0 + 2 });

    // Assess
    expect(second).toMatchObject({ kind: 'claimed', record: { status: 'processing', attempts: 2, lastError: 'boom' } });
  });

  test('a live lease makes another delivery wait; an expired one lets it take over', async () => {
    // Prepare
    const facts = factsFor();
    const crashed = await ledger.claim({ facts, nowMs: T0 });
    if (crashed.kind !== 'claimed') throw new Error('expected a claim');

    // Act
    const during = await ledger.claim({ facts, nowMs: T0 + POLICY.leaseMs - 1 });
    const after = await ledger.claim({ facts, nowMs: T0 + POLICY.leaseMs });
    const lateFinish = await ledger.complete({ eventId: facts.eventId, leaseToken: crashed.leaseToken, outcome: {}, writes: [], nowMs: T0 + POLICY.leaseMs + 1 });

    // Assess
    expect(during.kind).toBe('in-flight');
    expect(after).toMatchObject({ kind: 'claimed', record: { attempts: 2 } });
    expect(lateFinish).toEqual({ kind: 'lease-lost' });
  });

  test('a record past its retention counts as absent before the TTL sweeper removes it', async () => {
    // Prepare
    const facts = factsFor();
    const old = await ledger.claim({ facts, nowMs: T0 });
    if (old.kind !== 'claimed') throw new Error('expected a claim');
    await ledger.complete({ eventId: facts.eventId, leaseToken: old.leaseToken, outcome: {}, writes: [], nowMs: T0 });
    const later = T0 + 36 * DAY_MS;

    // Act
    const lookedUp = await ledger.get({ eventId: facts.eventId, nowMs: later });
    const claim = await ledger.claim({ facts, nowMs: later });

    // Assess
    expect(lookedUp).toBeUndefined();
    expect(claim).toMatchObject({ kind: 'claimed', record: { attempts: 1, firstReceivedAt: new Date(later).toISOString() } });
  });

  test('an event with no handler is recorded ignored once, then reported as a duplicate', async () => {
    // Prepare
    const facts = { ...factsFor(), eventType: 'climate.order.created' };

    // Act
    const first = await ledger.ignore({ facts, reason: 'no handler', nowMs: T0 });
    const second = await ledger.ignore({ facts, reason: 'no handler', nowMs: T0 + 1 });

    // Assess
    expect(first).toEqual({ kind: 'recorded' });
    expect(second).toMatchObject({ kind: 'duplicate', record: { status: 'ignored', ignoredReason: 'no handler', attempts: 0 } });
  });

  test('list filters by status, type and account, newest first, up to the limit', async () => {
    // Prepare
    const account = `acct_${stripeId('x').slice(2)}`;
    const ids = [stripeId('evt'), stripeId('evt'), stripeId('evt')];
    for (const [index, eventId] of ids.entries()) {
      await ledger.ignore({ facts: { ...factsFor(eventId), account, eventType: 'topup.created' }, reason: 'no handler', nowMs: T0 + index * 1000 });
    }

    // Act
    const listed = await ledger.list({ account, status: 'ignored', eventType: 'topup.created', limit: 2, nowMs: T0 + 5000 });

    // Assess
    expect(listed.map((record) => record.eventId)).toEqual([ids[2], ids[1]]);
  });

  test('the raw payload is kept compressed, returned byte for byte, and left out of the record', async () => {
    // Prepare
    const facts = factsFor();
    const payload = JSON.stringify({ id: facts.eventId, note: 'ünïcödé ✓', padding: 'x'.repeat(5000) }, null, 2);

    // Act
    await ledger.claim({ facts, nowMs: T0, payload });

    // Assess
    expect(await ledger.payloadOf({ eventId: facts.eventId, nowMs: T0 })).toBe(payload);
    const record = await ledger.get({ eventId: facts.eventId, nowMs: T0 });
    expect(record).toMatchObject({ payloadStored: true, payloadBytes: Buffer.byteLength(payload) });
    expect(record).not.toHaveProperty('payload');
  });

  test('a payload that does not compress under the limit is recorded as not kept', async () => {
    // Prepare
    const facts = factsFor();
    const payload = randomBytes(400_000).toString('base64');

    // Act
    await ledger.claim({ facts, nowMs: T0, payload });

    // Assess
    expect(await ledger.get({ eventId: facts.eventId, nowMs: T0 })).toMatchObject({ payloadStored: false });
    expect(await ledger.payloadOf({ eventId: facts.eventId, nowMs: T0 })).toBeUndefined();
  });

  test('a forced replay reruns a processed event and counts it; a plain one stays a duplicate', async () => {
    // Prepare
    const facts = factsFor();
    const first = await ledger.claim({ facts, nowMs: T0 });
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    await ledger.complete({ eventId: facts.eventId, leaseToken: first.leaseToken, outcome: {}, writes: [], nowMs: T0 });

    // Act
    const plain = await ledger.claim({ facts, nowMs: T0 + 1, replay: { id: 'rpl_1', force: false } });
    const forced = await ledger.claim({ facts, nowMs: T0 + 2, replay: { id: 'rpl_2', force: true } });

    // Assess
    expect(plain.kind).toBe('duplicate');
    expect(forced).toMatchObject({ kind: 'claimed', record: { attempts: 2, replays: 1, lastReplayId: 'rpl_2', status: 'processing' } });
  });

  test('a forced replay never takes a live lease', async () => {
    // Prepare
    const facts = factsFor();
    await ledger.claim({ facts, nowMs: T0 });

    // Act
    const forced = await ledger.claim({ facts, nowMs: T0 + 1, replay: { id: 'rpl_3', force: true } });

    // Assess
    expect(forced.kind).toBe('in-flight');
  });

  test('replay selection filters on the event’s created time', async () => {
    // Prepare
    const account = `acct_${stripeId('r').slice(2)}`;
    const inRange = { ...factsFor(), account, created: 2_000_000_100 };
    const before = { ...factsFor(), account, created: 2_000_000_000 };
    await ledger.ignore({ facts: inRange, reason: 'no handler', nowMs: T0 });
    await ledger.ignore({ facts: before, reason: 'no handler', nowMs: T0 });

    // Act
    const listed = await ledger.list({ account, createdSince: 2_000_000_050, createdUntil: 2_000_000_200, limit: 10, nowMs: T0 });

    // Assess
    expect(listed.map((record) => record.eventId)).toEqual([inRange.eventId]);
  });
});
