// The SDK's notice about future Node versions is noise for a local tool.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { createSqsClient } from '../functions/adapters/aws-clients';
import { createLogger } from '../functions/adapters/logger';
import { connectProjections } from '../functions/core/handlers';
import { createHandlerRegistry } from '../functions/core/handler-registry';
import type { HandlerMap, HandlerRegistry, RegisteredHandler } from '../functions/core/handler-registry';
import { startLocalWorker, useEmulatorEndpoints } from './pipeline';

/**
 * The worker alone, as its own process: the SQS poller (Lambda's event source mapping) and the worker
 * handler for one queue and its tables, with nothing else. The reliability suite runs it so that it can
 * SIGKILL a worker in the middle of a batch, as a crashed or timed-out Lambda would end, and start another.
 *
 *   node --import tsx local/worker-process.ts
 *
 * Settings, from the environment (each also accepted as `--name=value`, e.g. `--QUEUE_URL=…`):
 *   AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS  the emulators (required)
 *   QUEUE_URL, LEDGER_TABLE_NAME, STATE_TABLE_NAME    the queue and the tables (required)
 *   LEDGER_LEASE_SECONDS                              the ledger lease (default: the visibility timeout)
 *   VISIBILITY_TIMEOUT_SECONDS                        per receive, as the event source mapping sets it (default 300)
 *   BATCH_SIZE, POLLERS                               records per batch (default 10), parallel receive loops (default 2)
 *   HANDLER_DELAY_MS                                  when set, a custom handler on every built-in event type sleeps this
 *                                                     long, so batches stay in flight; its outcome names WORKER_NAME
 *   WORKER_NAME                                       a name for the logs and that outcome (default worker-<pid>)
 *   EXIT_WITH_STDIN=1                                 exit when stdin closes, i.e. when the parent that piped it died
 *
 * Prints `worker-process ready` on stdout once polling. SIGTERM or SIGINT stop the poller cleanly (the batches
 * in flight finish first); SIGKILL is what the suite uses to simulate a crash.
 */

const settings: NodeJS.ProcessEnv = { ...process.env };
for (const argument of process.argv.slice(2)) {
  const match = /^--([A-Z0-9_]+)=(.*)$/.exec(argument);
  if (match === null) throw new Error(`worker-process: unexpected argument ${argument} (use --NAME=value)`);
  settings[match[1] as string] = match[2];
}

const required = (name: string): string => {
  const value = settings[name];
  if (value === undefined || value.trim() === '') throw new Error(`worker-process: ${name} is not set`);
  return value;
};

const integer = (name: string, fallback: number, min: number): number => {
  const raw = settings[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`worker-process: ${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
};

/** The built-in projections, plus (with HANDLER_DELAY_MS) a slow custom handler on each of their types. */
const registryOf = (delayMs: number | undefined, workerName: string): HandlerRegistry | undefined => {
  if (delayMs === undefined) return undefined;
  const slow: RegisteredHandler = async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { outcome: { worker: workerName } };
  };
  const custom = Object.fromEntries(Object.keys(connectProjections).map((type) => [type, slow])) as HandlerMap;
  return createHandlerRegistry({ projections: connectProjections, custom });
};

const main = async (): Promise<void> => {
  useEmulatorEndpoints({ dynamoDb: required('AWS_ENDPOINT_URL_DYNAMODB'), sqs: required('AWS_ENDPOINT_URL_SQS') });
  const queueUrl = required('QUEUE_URL');
  const visibilityTimeoutSeconds = integer('VISIBILITY_TIMEOUT_SECONDS', 300, 0);
  const workerName = settings.WORKER_NAME ?? `worker-${process.pid}`;
  const delay = settings.HANDLER_DELAY_MS === undefined || settings.HANDLER_DELAY_MS === '' ? undefined : integer('HANDLER_DELAY_MS', 0, 0);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...settings,
    LEDGER_TABLE_NAME: required('LEDGER_TABLE_NAME'),
    STATE_TABLE_NAME: required('STATE_TABLE_NAME'),
    LEDGER_LEASE_SECONDS: settings.LEDGER_LEASE_SECONDS ?? String(visibilityTimeoutSeconds),
  };
  const sqs = createSqsClient();
  const registry = registryOf(delay, workerName);
  const worker = await startLocalWorker({
    sqs,
    env,
    queueUrl,
    visibilityTimeoutSeconds,
    batchSize: integer('BATCH_SIZE', 10, 1),
    pollers: integer('POLLERS', 2, 1),
    ...(registry === undefined ? {} : { registry }),
    workerLogger: createLogger({ serviceName: `worker:${workerName}` }),
    pollerLogger: createLogger({ serviceName: `local:${workerName}` }),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await worker.stop().catch((error: unknown) => console.error(String(error)));
    sqs.destroy();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  if (settings.EXIT_WITH_STDIN === '1') {
    process.stdin.on('end', () => void stop(0));
    process.stdin.on('error', () => void stop(0));
    process.stdin.resume();
  }
  console.log('worker-process ready');
};

main().catch((error: unknown) => {
  console.error(`worker-process could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
