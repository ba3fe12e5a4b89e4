import { SkipReason, apiKeyMode, planScopes, runOrder } from '../../functions/core/reconcile';
import { partitionsOf, recordPartitionOf, shardOf, WRITE_SHARDS } from '../../functions/core/state/account-keys';
import { isBlockedByDeauthorization } from '../../functions/core/state/authorization';

const V = (created: number) => `${String(created).padStart(12, '0')}#evt_x`;

describe('reconciler scope plan', () => {
  test('deauthorized accounts and accounts of the other mode are skipped with the reason; the rest sorted', () => {
    // Prepare
    const records = [
      { account: 'acct_c', livemode: true, lastActiveAt: 1 },
      { account: 'acct_a', livemode: true, lastActiveAt: 1 },
      { account: 'acct_gone', livemode: true, lastActiveAt: 1, deauthorized: V(10) },
      { account: 'acct_back', livemode: true, lastActiveAt: 1, deauthorized: V(10), authorized: V(20) },
      { account: 'acct_test', livemode: false, lastActiveAt: 1 },
    ];

    // Act
    const plan = planScopes({ records, keyMode: 'live' });

    // Assess
    expect(plan.accounts).toEqual(['acct_a', 'acct_back', 'acct_c']);
    expect(plan.skipped).toEqual([
      { account: 'acct_gone', mode: 'live', reason: SkipReason.deauthorized },
      { account: 'acct_test', mode: 'test', reason: SkipReason.otherMode },
    ]);
  });

  test('an account known in both modes is reconciled in the key\'s mode and not reported as skipped', () => {
    // Prepare
    const records = [
      { account: 'acct_both', livemode: false, lastActiveAt: 1 },
      { account: 'acct_both', livemode: true, lastActiveAt: 1 },
    ];

    // Act
    const plan = planScopes({ records, keyMode: 'test' });

    // Assess
    expect(plan).toEqual({ accounts: ['acct_both'], skipped: [] });
  });

  test.each([
    ['sk_live_abc', 'live'],
    ['rk_live_abc', 'live'],
    ['sk_test_abc', 'test'],
    ['rk_test_abc', 'test'],
    ['whatever', undefined],
  ])('the key %s reads %s mode', (key, mode) => {
    // Prepare
    const apiKey = key;

    // Act
    const found = apiKeyMode(apiKey);

    // Assess
    expect(found).toBe(mode);
  });
});

describe('reconciler run order', () => {
  test('the platform first, then accounts by id', () => {
    // Prepare
    const accounts = ['acct_b', 'acct_a'];

    // Act
    const order = runOrder(accounts, undefined);

    // Assess
    expect(order).toEqual(['platform', 'acct_a', 'acct_b']);
  });

  test('a run after a stopped one starts where it stopped and wraps around', () => {
    // Prepare
    const accounts = ['acct_a', 'acct_b', 'acct_c'];

    // Act
    const order = runOrder(accounts, 'acct_b');

    // Assess
    expect(order).toEqual(['acct_b', 'acct_c', 'platform', 'acct_a']);
  });

  test('a resume point that left the directory starts at the next account after it', () => {
    // Prepare
    const accounts = ['acct_a', 'acct_c'];

    // Act
    const order = runOrder(accounts, 'acct_b');

    // Assess
    expect(order).toEqual(['acct_c', 'platform', 'acct_a']);
  });
});

describe('deauthorization rule', () => {
  test.each([
    ['never deauthorized', {}, 50, false],
    ['deauthorized after the event', { deauthorized: V(60) }, 50, false],
    ['deauthorized before the event', { deauthorized: V(40) }, 50, true],
    ['authorized again before the event', { deauthorized: V(40), authorized: V(45) }, 50, false],
    ['authorized again after the event', { deauthorized: V(40), authorized: V(55) }, 50, true],
    ['an authorization older than the deauthorization', { deauthorized: V(40), authorized: V(30) }, 50, true],
  ])('%s', (_name, versions, created, blocked) => {
    // Prepare
    const version = V(created);

    // Act
    const result = isBlockedByDeauthorization(versions, version);

    // Assess
    expect(result).toBe(blocked);
  });
});

describe('state table keys', () => {
  test('payments and payouts go to a write shard of the account, never the profile partition; other records stay there', () => {
    // Prepare
    const account = 'acct_1Keys';

    // Act
    const payment = recordPartitionOf({ account, livemode: true, item: 'PAYMENT#pi_1' });
    const payout = recordPartitionOf({ account, livemode: true, item: 'PAYOUT#po_1' });
    const profile = recordPartitionOf({ account, livemode: true, item: 'PROFILE' });

    // Assess
    expect(payment).toMatch(/^ACCOUNT#acct_1Keys#live#S[0-3]$/);
    expect(payout).toMatch(/^ACCOUNT#acct_1Keys#live#S[0-3]$/);
    expect(profile).toBe('ACCOUNT#acct_1Keys#live');
  });

  test('shards spread ids evenly enough: 4,000 payment ids fill every shard within 10 % of a quarter', () => {
    // Prepare
    const ids = Array.from({ length: 4000 }, (_, index) => `PAYMENT#pi_${index.toString(36)}Xq`);

    // Act
    const counts = ids.reduce((tally, id) => tally.set(shardOf(id), (tally.get(shardOf(id)) ?? 0) + 1), new Map<number, number>());

    // Assess
    expect([...counts.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect([...counts.values()].every((count) => Math.abs(count - 1000) <= 100)).toBe(true);
  });

  test('accounts show reads the profile partition and each write shard: one query per partition', () => {
    // Prepare
    const account = 'acct_1Keys';

    // Act
    const partitions = partitionsOf({ account, livemode: false });

    // Assess
    expect(partitions).toEqual(['ACCOUNT#acct_1Keys#test', ...Array.from({ length: WRITE_SHARDS }, (_, shard) => `ACCOUNT#acct_1Keys#test#S${shard}`)]);
  });
});
