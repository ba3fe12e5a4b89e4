import { RecordKey, partitionOf } from '../../functions/core/state/account-keys';
import { createInMemoryStateStore } from '../support/fakes';

/** The in-memory state store reads like `dynamodb-account-state.ts`; the worker relies on `authorizationOf`. */
const TEST_PARTITION = partitionOf({ account: 'acct_1ReaderTest00001', livemode: false });
const LIVE_PARTITION = partitionOf({ account: 'acct_1ReaderTest00001', livemode: true });

describe('in-memory state store: AccountStateReader', () => {
  test('partition returns every item of that partition only, ordered by sort key, with its keys', async () => {
    // Prepare
    const store = createInMemoryStateStore();
    store.seed(TEST_PARTITION, 'PROFILE', { profileVersion: 'v' });
    store.seed(TEST_PARTITION, 'BALANCE', { stateVersion: 'v' });
    store.seed(LIVE_PARTITION, 'PROFILE', { profileVersion: 'v' });

    // Act
    const items = await store.partition(TEST_PARTITION);

    // Assess
    expect(items).toEqual([
      { pk: TEST_PARTITION, sk: 'BALANCE', stateVersion: 'v' },
      { pk: TEST_PARTITION, sk: 'PROFILE', profileVersion: 'v' },
    ]);
  });

  test("authorizationOf reads the record's stateVersion (deauthorized) and authorizationVersion (authorized)", async () => {
    // Prepare
    const store = createInMemoryStateStore();
    store.seed(TEST_PARTITION, RecordKey.deauthorization, { stateVersion: '001787674327#evt_1', authorizationVersion: '001787674400#evt_2', deauthorizedAt: '2026-08-25T16:12:07.000Z' });

    // Act
    const versions = await store.authorizationOf({ partition: TEST_PARTITION, item: RecordKey.deauthorization });

    // Assess
    expect(versions).toEqual({ deauthorized: '001787674327#evt_1', authorized: '001787674400#evt_2' });
  });

  test('authorizationOf is empty for a partition never deauthorized, including the other mode', async () => {
    // Prepare
    const store = createInMemoryStateStore();
    store.seed(TEST_PARTITION, RecordKey.deauthorization, { stateVersion: '001787674327#evt_1' });

    // Act
    const versions = await store.authorizationOf({ partition: LIVE_PARTITION, item: RecordKey.deauthorization });

    // Assess
    expect(versions).toEqual({});
  });

  test('profiles returns every record of every partition, so any record lists its account and mode', async () => {
    // Prepare
    const store = createInMemoryStateStore();
    store.seed(TEST_PARTITION, 'PROFILE', {});
    store.seed(TEST_PARTITION, 'BALANCE', {});
    store.seed(LIVE_PARTITION, RecordKey.deauthorization, {});
    store.seed(LIVE_PARTITION, 'PERSON#person_1', {});

    // Act
    const items = await store.profiles();

    // Assess
    expect(items.map((item) => `${String(item.pk)}|${String(item.sk)}`)).toEqual([
      `${LIVE_PARTITION}|DEAUTHORIZATION`,
      `${LIVE_PARTITION}|PERSON#person_1`,
      `${TEST_PARTITION}|BALANCE`,
      `${TEST_PARTITION}|PROFILE`,
    ]);
  });

  test('stored items are copies: changing what a read returned changes nothing', async () => {
    // Prepare
    const store = createInMemoryStateStore();
    store.seed(TEST_PARTITION, 'BALANCE', { available: [{ amount: 1 }] });
    const [first] = await store.partition(TEST_PARTITION);
    (first?.available as Array<{ amount: number }>)[0]!.amount = 999;

    // Act
    const again = store.get(TEST_PARTITION, 'BALANCE');

    // Assess
    expect(again).toMatchObject({ available: [{ amount: 1 }] });
  });
});
