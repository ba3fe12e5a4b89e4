import { LedgerStatus } from '../../functions/core/ledger-record';
import { runLoad } from '../support/load-generator';
import { eventually, signedDeliveries, startReliabilityPipeline, useCleanup } from './harness';

const CONNECTIONS = 32;
const DURATION_SECONDS = 10;
/**
 * A cap on the offered load, above what this pipeline sustains on a 2-core machine (ingest and worker share
 * one Node process, with both emulators on the same cores: 50–150 requests/s measured), so the run is paced by
 * the pipeline itself while the number of prepared events, and so the drain, stays bounded.
 */
const OVERALL_RATE = 250;
/** Enough answered events to call it load; far below what any machine that runs the suite manages. */
const MIN_ACCEPTED = 150;
const DRAIN_TIMEOUT_MS = 90_000;

jest.setTimeout(150_000);

describe('load: many connections for a fixed time', () => {
  const cleanup = useCleanup();

  test('every event answered 200 ends as exactly one processed ledger record, and the queues drain', async () => {
    // Prepare: a pipeline with four pollers, and more distinct signed events than the run can send.
    const harness = await startReliabilityPipeline({ pollers: 4, batchSize: 10, visibilityTimeoutSeconds: 30 });
    cleanup.add('pipeline', () => harness.stop());
    const { resources } = harness.pipeline;
    const deliveries = signedDeliveries(Math.ceil(OVERALL_RATE * DURATION_SECONDS * 1.2) + CONNECTIONS, harness.secrets.connect);

    // Act: 32 connections for 10 s, then wait for the worker to drain the queue.
    const started = Date.now();
    const run = await runLoad({ url: `${harness.pipeline.url}/webhooks/connect`, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, overallRate: OVERALL_RATE, deliveries });
    const loadEnded = Date.now();
    await eventually(async () => {
      const [queue, ledger] = await Promise.all([harness.observe.depth(resources.queueUrl), harness.observe.ledger(resources.ledgerTableName)]);
      const open = ledger.filter((row) => row.status !== LedgerStatus.processed).length;
      return (queue === 0 && open === 0) || `queue ${queue}, ${ledger.length} records, ${open} not processed`;
    }, 'the queue to drain and every record to be processed', DRAIN_TIMEOUT_MS, 500);
    const drained = Date.now();
    const ledger = await harness.observe.ledger(resources.ledgerTableName);
    const [queueDepth, deadLetters] = await Promise.all([harness.observe.depth(resources.queueUrl), harness.observe.depth(resources.deadLetterQueueUrl)]);

    // Assess
    const ok = [...run.answered].filter(([, status]) => status === 200).map(([id]) => id);
    const refused = [...run.answered].filter(([, status]) => status !== 200);
    const recorded = new Map(ledger.map((row) => [row.eventId, row]));
    const unanswered = new Set(run.unanswered);
    console.log(
      `load: ${run.sent.length} sent, ${ok.length} × 200, ${refused.length} other answers, ${run.unanswered.length} unanswered at the cut; ` +
        `${run.summary.requestsPerSecond} req/s, p50 ${run.summary.latencyP50Ms} ms, p99 ${run.summary.latencyP99Ms} ms; ` +
        `load ${((loadEnded - started) / 1000).toFixed(1)} s, drained ${((drained - loadEnded) / 1000).toFixed(1)} s later; ${ledger.length} ledger records`,
    );
    expect(run.exhausted).toBe(false);
    expect(run.mismatched).toBe(0);
    expect(ok.length).toBeGreaterThanOrEqual(MIN_ACCEPTED);
    expect(refused).toEqual([]);
    // Unanswered: at most one request per connection cut in flight when the run ends, plus any timed out.
    expect(run.unanswered.length).toBeLessThanOrEqual(CONNECTIONS + run.summary.timeouts);
    for (const id of ok) expect(recorded.get(id)).toMatchObject({ eventId: id, status: LedgerStatus.processed, attempts: 1 });
    // No other ids: anything recorded beyond the 200s was cut in flight after SQS had it (its outcome unknown to the sender).
    const extra = [...recorded.keys()].filter((id) => run.answered.get(id) !== 200);
    expect(extra.filter((id) => !unanswered.has(id))).toEqual([]);
    for (const id of extra) expect(recorded.get(id)).toMatchObject({ status: LedgerStatus.processed, attempts: 1 });
    expect(ledger).toHaveLength(ok.length + extra.length);
    expect({ queueDepth, deadLetters }).toEqual({ queueDepth: 0, deadLetters: 0 });
  });
});
