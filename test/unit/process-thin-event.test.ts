import { partitionOf } from '../../functions/core/state/account-keys';
import { buildAccountView } from '../../functions/core/state/account-view';
import { RecordOutcome } from '../../functions/core/process-event';
import { THIN_FIXTURE_ACCOUNT, THIN_FIXTURE_PERSON, loadThinNotification } from '../support/thin-fixtures';
import { createThinWorkerHarness, eventBridgeEnvelope } from '../support/thin-worker-harness';
import { incomingRecord } from '../support/worker-harness';

const REQUIREMENTS = 'v2.core.account[requirements].updated';
const partition = partitionOf({ account: THIN_FIXTURE_ACCOUNT, livemode: false });
const idOf = (body: string): string => (JSON.parse(body) as { id: string }).id;

describe('worker: thin events', () => {
  test('a thin notification is claimed, its event and account fetched as its context, and the PROFILE written', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    const body = loadThinNotification(REQUIREMENTS);

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect(harness.stripeV2.reads).toEqual([
      { what: 'event', id: idOf(body), context: THIN_FIXTURE_ACCOUNT },
      { what: 'account', id: THIN_FIXTURE_ACCOUNT, context: THIN_FIXTURE_ACCOUNT },
    ]);
    expect((await harness.ledger.get({ eventId: idOf(body), nowMs: harness.clock.now() }))?.status).toBe('processed');
    const view = buildAccountView({ partition, records: await harness.state.partition(partition) });
    expect(view.status).toBe('restricted');
    expect(view.profile).toMatchObject({
      accountsApi: 'v2',
      chargesEnabled: false,
      payoutsEnabled: true,
      restrictedCapabilities: ['merchant.card_payments'],
      requirements: { pastDue: ['identity.business_details.address.line1'], currentlyDue: ['documents.primary_verification'], minimumDeadlineStatus: 'past_due', currentDeadline: '2026-08-19T06:00:00.000Z' },
      futureRequirements: { eventuallyDue: ['identity.attestations.ownership_declaration'], minimumTransitionDate: '2027-01-04T00:00:00.000Z' },
      identity: { country: 'de', entityType: 'company', registeredName: 'Beispiel Software GmbH' },
      lastEventId: idOf(body),
    });
  });

  test('a second delivery is a duplicate and fetches nothing', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    const body = loadThinNotification(REQUIREMENTS);
    await harness.process(incomingRecord(body));
    const readsBefore = harness.stripeV2.reads.length;

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
    expect(harness.stripeV2.reads).toHaveLength(readsBefore);
  });

  test('the same event delivered by EventBridge after the webhook is a duplicate', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    const body = loadThinNotification(REQUIREMENTS);
    await harness.process(incomingRecord(body));

    // Act
    const outcome = await harness.process(incomingRecord(eventBridgeEnvelope(JSON.parse(body) as Record<string, unknown>)));

    // Assess
    expect(outcome).toBe(RecordOutcome.duplicate);
  });

  test('an EventBridge delivery first is processed exactly as the webhook one, and the webhook then is a duplicate', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    const body = loadThinNotification(REQUIREMENTS);

    // Act
    const first = await harness.process(incomingRecord(eventBridgeEnvelope(JSON.parse(body) as Record<string, unknown>)));
    const second = await harness.process(incomingRecord(body));

    // Assess
    expect([first, second]).toEqual([RecordOutcome.processed, RecordOutcome.duplicate]);
    expect(harness.state.get(partition, 'PROFILE')).toMatchObject({ accountsApi: 'v2', sourceEventId: idOf(body) });
  });

  test.each([['another partner', 'aws.partner/evil.example/abc'], ['a name that only begins like Stripe\'s', 'aws.partner/stripe.community/ed_x']])(
    'an EventBridge event from %s is not a Stripe event (it will reach the DLQ)',
    async (_, source) => {
      // Prepare
      const harness = createThinWorkerHarness();
      const body = JSON.stringify({ 'detail-type': 'x', source, detail: JSON.parse(loadThinNotification(REQUIREMENTS)) });

      // Act
      const outcome = harness.process(incomingRecord(body));

      // Assess
      await expect(outcome).rejects.toThrow('EventBridge event not from a Stripe partner event source');
    },
  );

  test('Stripe rate limiting becomes a retry with back-off, and the next delivery processes the event', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    const body = loadThinNotification(REQUIREMENTS);
    harness.stripeV2.unavailableFor = 1;

    // Act
    const first = await harness.process(incomingRecord(body));
    const failed = await harness.ledger.get({ eventId: idOf(body), nowMs: harness.clock.now() });
    const second = await harness.process(incomingRecord(body, { receiveCount: 2 }));

    // Assess
    expect(first).toBe(RecordOutcome.retryLater);
    expect(failed).toMatchObject({ status: 'failed', lastError: expect.stringContaining('Stripe unavailable') });
    expect(second).toBe(RecordOutcome.processed);
  });

  test('a fetch older than the stored state commits as stale: the newer fetched state stays', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    harness.stripeV2.accounts.set(THIN_FIXTURE_ACCOUNT, { ...harness.stripeV2.accounts.get(THIN_FIXTURE_ACCOUNT), closed: true });
    await harness.process(incomingRecord(loadThinNotification('v2.core.account.closed')));
    harness.stripeV2.accounts.set(THIN_FIXTURE_ACCOUNT, { ...harness.stripeV2.accounts.get(THIN_FIXTURE_ACCOUNT), closed: false });
    harness.clock.advance(-60_000);

    // Act
    const outcome = await harness.process(incomingRecord(loadThinNotification('v2.core.account.updated')));

    // Assess
    expect(outcome).toBe(RecordOutcome.processed);
    expect((await harness.ledger.get({ eventId: idOf(loadThinNotification('v2.core.account.updated')), nowMs: harness.clock.now() }))?.stale).toBe(true);
    expect(buildAccountView({ partition, records: await harness.state.partition(partition) }).status).toBe('closed');
  });

  test('a person is kept minimised, and its deletion hides it even when an older update (person updated before the deletion) arrives after', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    await harness.process(incomingRecord(loadThinNotification('v2.core.account_person.updated')));
    const stored = JSON.stringify(harness.state.get(partition, `PERSON#${THIN_FIXTURE_PERSON}`));

    const older = { ...(JSON.parse(loadThinNotification('v2.core.account_person.updated')) as Record<string, unknown>), id: 'evt_test_olderPersonUpdateDeliveredLate' };
    harness.stripeV2.events.set(String(older.id), { ...(harness.stripeV2.events.get(idOf(loadThinNotification('v2.core.account_person.updated'))) ?? {}), id: older.id });

    // Act
    await harness.process(incomingRecord(loadThinNotification('v2.core.account_person.deleted')));
    const late = await harness.process(incomingRecord(JSON.stringify(older)));

    // Assess
    expect(JSON.parse(stored)).toMatchObject({ personId: THIN_FIXTURE_PERSON, firstName: 'Erika', lastName: 'Mustermann', relationship: { director: true, executive: true, representative: true, owner: false } });
    for (const sensitive of ['1980', 'erika.mustermann', '+49', 'Musterstraße', 'de_stn', '192.0.2.10', 'FixtureBrowser', 'political']) expect(stored).not.toContain(sensitive);
    expect(late).toBe(RecordOutcome.processed);
    expect((await harness.ledger.get({ eventId: String(older.id), nowMs: harness.clock.now() }))?.stale).toBe(true);
    expect(harness.state.get(partition, `PERSON#${THIN_FIXTURE_PERSON}`)).toMatchObject({ deleted: true });
    expect(buildAccountView({ partition, records: await harness.state.partition(partition) }).persons).toEqual([]);
  });

  test('a thin event with no v2 reader configured fails (retried) with a clear reason', async () => {
    // Prepare
    const harness = createThinWorkerHarness({ withReader: false });
    const body = loadThinNotification(REQUIREMENTS);

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.retry);
    expect((await harness.ledger.get({ eventId: idOf(body), nowMs: harness.clock.now() }))?.lastError).toContain('no Stripe v2 reader');
  });

  test('a thin type without a projection is recorded ignored without any fetch', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    const body = JSON.stringify({ ...(JSON.parse(loadThinNotification(REQUIREMENTS)) as object), id: 'evt_test_unknownthin1', type: 'v2.core.event_destination.ping' });

    // Act
    const outcome = await harness.process(incomingRecord(body));

    // Assess
    expect(outcome).toBe(RecordOutcome.ignored);
    expect(harness.stripeV2.reads).toEqual([]);
  });
});
