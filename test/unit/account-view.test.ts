import { VIEW_LIMIT, buildAccountView, summariseAccounts } from '../../functions/core/state/account-view';
import type { StateRecord } from '../../functions/core/state/account-view';

const ACCOUNT = 'acct_1ViewTestAccount';
const PARTITION = `ACCOUNT#${ACCOUNT}#test`;
const EVENT_CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z

/** A state item as DynamoDB returns it: keys, a facet version and the source event pair. */
const item = (sk: string, fields: Record<string, unknown>, options: { partition?: string; facet?: string; eventId?: string } = {}): StateRecord => ({
  pk: options.partition ?? PARTITION,
  sk,
  [`${options.facet ?? 'state'}Version`]: `${String(EVENT_CREATED).padStart(12, '0')}#${options.eventId ?? 'evt_1'}`,
  sourceEventId: options.eventId ?? 'evt_1',
  sourceEventCreated: EVENT_CREATED,
  ...fields,
});

const profile = (fields: Record<string, unknown> = {}, partition?: string): StateRecord =>
  item(
    'PROFILE',
    {
      accountId: ACCOUNT,
      businessName: 'Ridgeline Outfitters',
      chargesEnabled: true,
      payoutsEnabled: true,
      requirements: { currentlyDue: [], eventuallyDue: [], pastDue: [], pendingVerification: [], errors: [], disabledReason: null, currentDeadline: null },
      futureRequirements: { currentlyDue: [], eventuallyDue: [], pastDue: [], pendingVerification: [], errors: [], disabledReason: null, currentDeadline: null },
      profileStatus: 'active',
      ...fields,
    },
    { facet: 'profile', eventId: 'evt_profile', ...(partition === undefined ? {} : { partition }) },
  );

const deauthorization = (partition?: string): StateRecord =>
  item('DEAUTHORIZATION', { deauthorizedAt: '2026-01-02T00:00:00.000Z', application: 'ca_1', applicationName: 'Platform' }, { eventId: 'evt_deauth', ...(partition === undefined ? {} : { partition }) });

/** `count` records whose timestamp field is day 1..count of January, shuffled so the order must come from sorting. */
const dated = (prefix: string, field: string, count: number): StateRecord[] =>
  Array.from({ length: count }, (_, index) => index + 1)
    .sort((left, right) => (left * 7919) % count - (right * 7919) % count)
    .map((day) => item(`${prefix}#${prefix.toLowerCase()}_${day}`, { [field]: `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z` }));

describe('buildAccountView', () => {
  test('derives the status from the profile: requirements past due make the account restricted', () => {
    // Prepare
    const records = [profile({ chargesEnabled: false, requirements: { currentlyDue: [], pastDue: ['external_account'], disabledReason: 'requirements.past_due' } })];

    // Act
    const view = buildAccountView({ partition: PARTITION, records });

    // Assess
    expect(view).toMatchObject({ account: ACCOUNT, mode: 'test', status: 'restricted' });
  });

  test('a DEAUTHORIZATION record makes the account deauthorized whatever its profile says', () => {
    // Prepare
    const records = [profile(), deauthorization()];

    // Act
    const view = buildAccountView({ partition: PARTITION, records });

    // Assess
    expect(view.status).toBe('deauthorized');
    expect(view.deauthorization).toEqual({ deauthorizedAt: '2026-01-02T00:00:00.000Z', application: 'ca_1', applicationName: 'Platform', lastEventId: 'evt_deauth', lastEventCreated: '2026-01-01T00:00:00.000Z' });
  });

  test('future requirements currently due make the account restricted_soon; no profile leaves the status null', () => {
    // Prepare
    const dueSoon = [profile({ futureRequirements: { currentlyDue: ['individual.id_number'], pastDue: [] } })];
    const balanceOnly = [item('BALANCE', { available: [], pending: [] })];

    // Act
    const soon = buildAccountView({ partition: PARTITION, records: dueSoon });
    const unknown = buildAccountView({ partition: PARTITION, records: balanceOnly });

    // Assess
    expect(soon.status).toBe('restricted_soon');
    expect(unknown).toMatchObject({ status: null, profile: null, deauthorization: null, balance: { available: [], pending: [] } });
  });

  test('strips keys, versions and source bookkeeping but keeps the last event for auditing', () => {
    // Prepare
    const records = [profile()];

    // Act
    const view = buildAccountView({ partition: PARTITION, records });

    // Assess
    expect(view.profile).not.toHaveProperty('pk');
    expect(view.profile).not.toHaveProperty('sk');
    expect(view.profile).not.toHaveProperty('profileVersion');
    expect(view.profile).not.toHaveProperty('sourceEventId');
    expect(view.profile).not.toHaveProperty('sourceEventCreated');
    expect(view.profile).toMatchObject({ businessName: 'Ridgeline Outfitters', profileStatus: 'active', lastEventId: 'evt_profile', lastEventCreated: '2026-01-01T00:00:00.000Z' });
  });

  test('lists payouts newest first by createdAt and payments newest first by succeededAt, at most VIEW_LIMIT each', () => {
    // Prepare
    const records = [...dated('PAYOUT', 'createdAt', VIEW_LIMIT + 5), ...dated('PAYMENT', 'succeededAt', VIEW_LIMIT + 3)];

    // Act
    const view = buildAccountView({ partition: PARTITION, records });

    // Assess
    expect(view.recentPayouts).toHaveLength(VIEW_LIMIT);
    expect(view.recentPayouts[0]?.createdAt).toBe('2026-01-25T00:00:00.000Z');
    expect(view.recentPayouts[VIEW_LIMIT - 1]?.createdAt).toBe('2026-01-06T00:00:00.000Z');
    expect(view.payments).toHaveLength(VIEW_LIMIT);
    expect(view.payments.map((payment) => payment.succeededAt)).toEqual(Array.from({ length: VIEW_LIMIT }, (_, index) => `2026-01-${String(23 - index).padStart(2, '0')}T00:00:00.000Z`));
  });

  test('reports only payout attention flags still set, and payoutsNeedAttention from them', () => {
    // Prepare
    const flagged = item('PAYOUT_ATTENTION#ba_failed', { destination: 'ba_failed', needsAttention: true, failureCode: 'account_closed' });
    const cleared = item('PAYOUT_ATTENTION#ba_fixed', { destination: 'ba_fixed', needsAttention: false, clearedBy: 'payout_paid' });

    // Act
    const withFlag = buildAccountView({ partition: PARTITION, records: [flagged, cleared] });
    const allCleared = buildAccountView({ partition: PARTITION, records: [cleared] });

    // Assess
    expect(withFlag.payoutsNeedAttention).toBe(true);
    expect(withFlag.payoutAttention.map((flag) => flag.destination)).toEqual(['ba_failed']);
    expect(allCleared).toMatchObject({ payoutsNeedAttention: false, payoutAttention: [] });
  });

  test('groups persons and external accounts by sort key, and reads the live platform partition', () => {
    // Prepare
    const records = [
      item('PERSON#person_b', { personId: 'person_b' }, { partition: 'PLATFORM#live' }),
      item('EXTERNAL_ACCOUNT#ba_1', { externalAccountId: 'ba_1' }, { partition: 'PLATFORM#live' }),
      item('PERSON#person_a', { personId: 'person_a' }, { partition: 'PLATFORM#live' }),
    ];

    // Act
    const view = buildAccountView({ partition: 'PLATFORM#live', records });

    // Assess
    expect(view).toMatchObject({ account: null, mode: 'live', status: null });
    expect(view.persons.map((person) => person.personId)).toEqual(['person_a', 'person_b']);
    expect(view.externalAccounts).toEqual([{ externalAccountId: 'ba_1', lastEventId: 'evt_1', lastEventCreated: '2026-01-01T00:00:00.000Z' }]);
  });
});

describe('summariseAccounts', () => {
  test('summarises each account and mode from its PROFILE, ordered by account then mode', () => {
    // Prepare
    const records = [
      profile({ businessName: 'Zephyr Goods' }, 'ACCOUNT#acct_Z#test'),
      profile({ payoutsEnabled: false }, 'ACCOUNT#acct_A#test'),
      profile({}, 'ACCOUNT#acct_A#live'),
    ];

    // Act
    const summaries = summariseAccounts(records);

    // Assess
    expect(summaries).toEqual([
      { account: 'acct_A', mode: 'live', status: 'active', businessName: 'Ridgeline Outfitters', chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: null },
      { account: 'acct_A', mode: 'test', status: 'restricted', businessName: 'Ridgeline Outfitters', chargesEnabled: true, payoutsEnabled: false, deauthorizedAt: null },
      { account: 'acct_Z', mode: 'test', status: 'active', businessName: 'Zephyr Goods', chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: null },
    ]);
  });

  test('lists an account with only a DEAUTHORIZATION record as deauthorized, and one with both as deauthorized too', () => {
    // Prepare
    const records = [deauthorization('ACCOUNT#acct_gone#test'), profile({}, 'ACCOUNT#acct_left#live'), deauthorization('ACCOUNT#acct_left#live')];

    // Act
    const summaries = summariseAccounts(records);

    // Assess
    expect(summaries).toEqual([
      { account: 'acct_gone', mode: 'test', status: 'deauthorized', businessName: null, chargesEnabled: null, payoutsEnabled: null, deauthorizedAt: '2026-01-02T00:00:00.000Z' },
      { account: 'acct_left', mode: 'live', status: 'deauthorized', businessName: 'Ridgeline Outfitters', chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  test('skips the platform partitions', () => {
    // Prepare
    const records = [item('BALANCE', { available: [] }, { partition: 'PLATFORM#test' }), item('PAYMENT#pi_1', {}, { partition: 'PLATFORM#live' })];

    // Act
    const summaries = summariseAccounts(records);

    // Assess
    expect(summaries).toEqual([]);
  });

  test('lists an account\'s mode that has only a balance or payouts, without profile details, once', () => {
    // Prepare
    const records = [
      item('BALANCE', { available: [] }, { partition: 'ACCOUNT#acct_X#live' }),
      item('PAYOUT#po_1', {}, { partition: 'ACCOUNT#acct_X#live' }),
      profile({}, 'ACCOUNT#acct_X#test'),
    ];

    // Act
    const summaries = summariseAccounts(records);

    // Assess
    expect(summaries).toEqual([
      { account: 'acct_X', mode: 'live', status: null, businessName: null, chargesEnabled: null, payoutsEnabled: null, deauthorizedAt: null },
      { account: 'acct_X', mode: 'test', status: 'active', businessName: 'Ridgeline Outfitters', chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: null },
    ]);
  });
  test('lists an account once when its payments and payouts sit in write shards, and skips the reconciler\'s partitions', () => {
    // Prepare
    const records = [
      profile({}, 'ACCOUNT#acct_S#live'),
      item('PAYMENT#pi_1', {}, { partition: 'ACCOUNT#acct_S#live#S0' }),
      item('PAYOUT#po_1', {}, { partition: 'ACCOUNT#acct_S#live#S3' }),
      item('PAYMENT#pi_2', {}, { partition: 'ACCOUNT#acct_T#test#S1' }),
      item('acct_S', {}, { partition: 'RECONCILE_SCOPES#live' }),
      item('LEASE', {}, { partition: 'RECONCILER' }),
    ];

    // Act
    const summaries = summariseAccounts(records);

    // Assess
    expect(summaries).toEqual([
      { account: 'acct_S', mode: 'live', status: 'active', businessName: 'Ridgeline Outfitters', chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: null },
      { account: 'acct_T', mode: 'test', status: null, businessName: null, chargesEnabled: null, payoutsEnabled: null, deauthorizedAt: null },
    ]);
  });
});
