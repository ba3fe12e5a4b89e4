import { newReplayId, replayEvents } from '../../functions/core/replay';
import { makeEventBody, stripeId } from '../support/event-factory';
import { createFakeEventQueue, createInMemoryEventLedger, createInMemoryRangeReader } from '../support/fakes';
import { LedgerStatus } from '../../functions/core/ledger-record';

const NOW = Date.UTC(2026, 10, 1);

/** A ledger holding one ignored event per `created`, each with its payload kept. */
const ledgerWith = async (createds: readonly number[]) => {
  const ledger = createInMemoryEventLedger();
  const events = createds.map((created) => ({ id: stripeId('evt'), created }));
  for (const { id, created } of events) {
    const payload = makeEventBody({ id, created });
    await ledger.ignore({ facts: { eventId: id, eventType: 'account.updated', account: 'acct_1PgafTB7WZ01zgkW', livemode: false, created }, reason: 'r', nowMs: NOW, payload });
  }
  return { ledger, events };
};

describe('replay', () => {
  test('re-enqueues the stored payloads of the named events, marked with the replay and force', async () => {
    // Prepare
    const { ledger, events } = await ledgerWith([100, 200]);
    const queue = createFakeEventQueue();

    // Act
    const report = await replayEvents({ ledger, queue, selection: { kind: 'ids', eventIds: events.map((event) => event.id) }, replayId: 'rpl_x', force: true, dryRun: false, nowMs: NOW });

    // Assess
    expect(report.enqueued).toBe(2);
    expect(queue.sent.map((message) => message.attributes)).toEqual(
      events.map((event) => expect.objectContaining({ eventId: event.id, route: 'replay', replayId: 'rpl_x', replayForce: true, account: 'acct_1PgafTB7WZ01zgkW' })),
    );
    expect(queue.sent[0]?.body).toBe(await ledger.payloadOf({ eventId: events[0]!.id, nowMs: NOW }));
  });

  test('a range selects by the events’ created time, oldest first, and a dry run enqueues nothing', async () => {
    // Prepare
    const { ledger, events } = await ledgerWith([300, 100, 200, 400]);
    const queue = createFakeEventQueue();
    const listed: string[] = [];

    // Act
    const report = await replayEvents({ ledger, range: createInMemoryRangeReader(ledger), queue, selection: { kind: 'range', since: 150, until: 400 }, replayId: 'rpl_y', force: false, dryRun: true, nowMs: NOW, onEnqueued: (eventId) => listed.push(eventId) });

    // Assess
    expect(listed).toEqual([events[2]!.id, events[0]!.id]);
    expect(report).toMatchObject({ selected: 2, enqueued: 2 });
    expect(queue.sent).toHaveLength(0);
  });

  test('an unknown event is reported as unavailable, not enqueued', async () => {
    // Prepare
    const { ledger } = await ledgerWith([]);
    const queue = createFakeEventQueue();

    // Act
    const report = await replayEvents({ ledger, queue, selection: { kind: 'ids', eventIds: ['evt_unknown123'] }, replayId: 'rpl_z', force: false, dryRun: false, nowMs: NOW });

    // Assess
    expect(report.unavailable).toEqual([{ eventId: 'evt_unknown123', reason: 'not in the ledger' }]);
    expect(queue.sent).toHaveLength(0);
  });

  test('progress is reported after every event', async () => {
    // Prepare
    const { ledger, events } = await ledgerWith([1, 2, 3]);
    const progress: Array<[number, number]> = [];

    // Act
    await replayEvents({ ledger, queue: createFakeEventQueue(), selection: { kind: 'ids', eventIds: events.map((event) => event.id) }, replayId: 'r', force: false, dryRun: false, nowMs: NOW, onProgress: (done, total) => progress.push([done, total]) });

    // Assess
    expect(progress).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);
  });

  test('a range over several pages is counted exactly first, then every match is enqueued, page by page', async () => {
    // Prepare: seven matches, three a page.
    const { ledger, events } = await ledgerWith([10, 20, 30, 40, 50, 60, 70, 999]);
    const range = createInMemoryRangeReader(ledger, 3);
    const queue = createFakeEventQueue();
    const progress: Array<[number, number]> = [];

    // Act
    const report = await replayEvents({ ledger, range, queue, selection: { kind: 'range', since: 0, until: 100 }, replayId: 'rpl_p', force: false, dryRun: false, nowMs: NOW, onProgress: (done, total) => progress.push([done, total]) });

    // Assess
    expect(range.pagesServed).toBe(3);
    expect(report).toMatchObject({ selected: 7, enqueued: 7, unavailable: [] });
    expect(queue.sent.map((message) => message.attributes.eventId)).toEqual(events.slice(0, 7).map((event) => event.id));
    expect(progress[0]).toEqual([0, 7]);
    expect(progress.at(-1)).toEqual([7, 7]);
  });

  test('a range filter narrows by status as well', async () => {
    // Prepare: every seeded event is ignored, so asking for failed ones selects none.
    const { ledger } = await ledgerWith([10, 20]);

    // Act
    const report = await replayEvents({ ledger, range: createInMemoryRangeReader(ledger), queue: createFakeEventQueue(), selection: { kind: 'range', since: 0, status: LedgerStatus.failed }, replayId: 'r', force: false, dryRun: false, nowMs: NOW });

    // Assess
    expect(report).toMatchObject({ selected: 0, enqueued: 0 });
  });

  test('replay ids sort by time', () => {
    // Prepare
    const earlier = newReplayId(Date.UTC(2026, 0, 1), () => 0.9);

    // Act
    const later = newReplayId(Date.UTC(2026, 0, 2), () => 0.1);

    // Assess
    expect(earlier < later).toBe(true);
    expect(later).toMatch(/^rpl_\d{14}_[0-9a-z]{6}$/);
  });
});
