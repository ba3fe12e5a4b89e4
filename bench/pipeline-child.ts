/**
 * The local pipeline (HTTP API stand-in + ingest, SQS poller + worker) in a process of its own, so the load
 * generator does not share its event loop. Started by bench/end-to-end.ts with an IPC channel: it reports
 * `{ url, resources }` once ready, stops on `'stop'`, and exits when its parent goes away.
 */
import type { Logger } from '../functions/core/ports';
import { startLocalPipeline } from '../local/pipeline';
import { BENCH_SECRET } from './lib/payloads';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const main = async (): Promise<void> => {
  const [dynamoDb, sqs, pollers] = process.argv.slice(2);
  if (dynamoDb === undefined || sqs === undefined || process.send === undefined) throw new Error('usage: pipeline-child <dynamodb endpoint> <sqs endpoint> [pollers] (with an IPC channel)');
  const pipeline = await startLocalPipeline({
    endpoints: { dynamoDb, sqs },
    secrets: { account: [BENCH_SECRET], connect: [BENCH_SECRET] },
    port: 0,
    pollers: Number(pollers ?? 4),
    resources: { ledgerTableName: 'bench-e2e-ledger', stateTableName: 'bench-e2e-state', queueName: 'bench-e2e-events', deadLetterQueueName: 'bench-e2e-events-dlq' },
    loggerFor: () => silent,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pipeline.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  // The parent died or closed the channel: nothing is left to serve.
  process.on('disconnect', () => void stop());
  process.send({ url: pipeline.url, resources: pipeline.resources });
};

main().catch((error: unknown) => {
  process.stderr.write(`pipeline child: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
