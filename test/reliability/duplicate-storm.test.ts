import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { countingHandler, eventually, mapLimit, postWebhook, profilesByAccount, signedDeliveries, startReliabilityPipeline, useCleanup } from './harness';

const EVENTS = 20;
const COPIES = 25;
const CONCURRENCY = 50;

jest.setTimeout(90_000);

describe('duplicate storm', () => {
  const cleanup = useCleanup();

  test('an event delivered 25 times at once runs its handler once and is processed once', async () => {
    // Prepare: a counting custom handler, and 20 signed events each to be posted 25 times, interleaved.
    const counter = countingHandler();
    const registry = createHandlerRegistry({ projections: connectProjections, custom: { 'account.updated': counter.handler } });
    const harness = await startReliabilityPipeline({ registry, pollers: 4, batchSize: 10, visibilityTimeoutSeconds: 2, maxReceiveCount: 10 });
    cleanup.add('pipeline', () => harness.stop());
    const { resources } = harness.pipeline;
    const events = signedDeliveries(EVENTS, harness.secrets.connect);
    const copies = Array.from({ length: COPIES }, () => events).flat();

    // Act: 500 POSTs, 50 at a time, then wait until the queue is empty and every event is processed.
    const statuses = await mapLimit(copies, CONCURRENCY, async (event) => (await postWebhook(harness.pipeline.url, event)).status);
    await eventually(async () => {
      const [queue, ledger] = await Promise.all([harness.observe.depth(resources.queueUrl), harness.observe.ledger(resources.ledgerTableName)]);
      const processed = ledger.filter((row) => row.status === LedgerStatus.processed).length;
      return (queue === 0 && processed === EVENTS) || `queue ${queue}, ${processed}/${EVENTS} processed`;
    }, 'every copy to be consumed and every event processed', 60_000, 250);
    const [ledger, state, queueDepth, deadLetters] = await Promise.all([
      harness.observe.ledger(resources.ledgerTableName),
      harness.observe.state(resources.stateTableName),
      harness.observe.depth(resources.queueUrl),
      harness.observe.depth(resources.deadLetterQueueUrl),
    ]);

    // Assess
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(ledger).toHaveLength(EVENTS);
    const profiles = profilesByAccount(state);
    for (const event of events) {
      expect(ledger.find((row) => row.eventId === event.id)).toMatchObject({ status: LedgerStatus.processed, attempts: 1 });
      expect({ id: event.id, runs: counter.runs.get(event.id) }).toEqual({ id: event.id, runs: 1 });
      expect(profiles.get(event.account)?.map((item) => item.sourceEventId)).toEqual([event.id]);
    }
    expect(counter.runs.size).toBe(EVENTS);
    expect({ queueDepth, deadLetters }).toEqual({ queueDepth: 0, deadLetters: 0 });
  });
});
