import { Command, InvalidArgumentError, Option } from 'commander';
import { moveDeadLetters, startDeadLetterMoveTask } from '../functions/adapters/sqs-dead-letter-redrive';
import { LEDGER_STATUSES } from '../functions/core/ledger-record';
import type { LedgerStatus } from '../functions/core/ledger-record';
import { newReplayId, replayEvents } from '../functions/core/replay';
import type { ReplayReport, ReplaySelection } from '../functions/core/replay';
import { openQueuesFor } from './queue-target';
import { createDynamoDbLedgerRangeReader } from '../functions/adapters/dynamodb-ledger-range';
import { createDocumentClient } from '../functions/adapters/dynamodb-documents';
import { useEmulatorEndpoints } from '../local/pipeline';
import { cliAwsOptions } from './aws-options';
import { loadTarget } from './pipeline-target';
import { openLedgerFor, stackTargetOf, withStackOptions } from './target';
import type { TargetOptions } from './target';
import { checkTimeRange, parseTimeArg } from './time-arg';

const positiveInteger = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('must be a positive integer');
  return number;
};

const BAR_WIDTH = 30;

/** A progress bar on stderr: redrawn in place on a terminal, a line per 1,000 events otherwise. */
export const progressBar = (stream: NodeJS.WriteStream = process.stderr) => (done: number, total: number): void => {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * BAR_WIDTH);
  const line = `  [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} events (${Math.floor(share * 100)}%)`;
  if (stream.isTTY) stream.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done % 1000 === 0 || done === total) stream.write(`${line}\n`);
};

/** The ledger table of the target, read page by page for a range replay. */
const openRangeReaderFor = async (options: TargetOptions) => {
  const stack = await stackTargetOf(options);
  if (stack === undefined) {
    const local = loadTarget(options);
    useEmulatorEndpoints(local.endpoints);
    return createDynamoDbLedgerRangeReader({ client: createDocumentClient(cliAwsOptions()), tableName: local.resources.ledgerTableName });
  }
  return createDynamoDbLedgerRangeReader({ client: createDocumentClient(cliAwsOptions(stack.region)), tableName: stack.resource('ledgerTableName') });
};

const runReplay = async (options: TargetOptions & { readonly selection: ReplaySelection; readonly force: boolean; readonly dryRun: boolean }): Promise<void> => {
  const [ledger, queues, range] = await Promise.all([
    openLedgerFor(options),
    options.dryRun ? undefined : openQueuesFor(options),
    options.selection.kind === 'range' ? openRangeReaderFor(options) : undefined,
  ]);
  const replayId = newReplayId(Date.now());
  const report: ReplayReport = await replayEvents({
    ledger,
    ...(range === undefined ? {} : { range }),
    queue: queues?.queue ?? { maxMessageBytes: 0, send: async () => ({ messageId: 'dry-run' }) },
    selection: options.selection,
    replayId,
    force: options.force,
    dryRun: options.dryRun,
    nowMs: Date.now(),
    onProgress: progressBar(),
    ...(options.dryRun ? { onEnqueued: (eventId: string) => console.log(`  ${eventId}`) } : {}),
  });
  const verb = options.dryRun ? 'would re-enqueue' : 're-enqueued';
  console.log(`${replayId}: ${verb} ${report.enqueued} of ${report.selected} event(s)${options.force ? ' with --force (handlers rerun once per replay id, state order kept)' : ''}.`);
  for (const { eventId, reason } of report.unavailable) console.log(`  ${eventId}: ${reason}; \`connect-webhooks reconcile\` can fetch it from Stripe within 30 days`);
  if (report.unavailable.length > 0) process.exitCode = 1;
};

/** `replay dlq | event | range`: put failed or chosen events back through the pipeline. */
export const replayCommand = (): Command => {
  const replay = new Command('replay').description('Reprocess events: move the DLQ back, or re-enqueue stored payloads').option('--state <file>', 'state file of the local pipeline');
  withStackOptions(replay.command('dlq').description('Move dead-lettered messages back to the queue (events that failed run again; processed ones are deduped)'))
    .option('--max <n>', 'move at most this many messages', positiveInteger)
    .action(async (options: { max?: number }, command: Command) => {
      const queues = await openQueuesFor(command.optsWithGlobals());
      if (queues.deployed && options.max === undefined) {
        const { taskHandle } = await startDeadLetterMoveTask({ client: queues.sqs, deadLetterQueueArn: await queues.arnOf(queues.deadLetterQueueUrl), queueArn: await queues.arnOf(queues.queueUrl) });
        console.log(`SQS started moving every DLQ message back (task ${taskHandle ?? 'started'}); follow it in the SQS console.`);
        return;
      }
      const { moved } = await moveDeadLetters({ client: queues.sqs, deadLetterQueueUrl: queues.deadLetterQueueUrl, queueUrl: queues.queueUrl, max: options.max ?? Number.MAX_SAFE_INTEGER, onProgress: (count) => process.stderr.write(`  ${count} moved\n`) });
      console.log(`Moved ${moved ?? 0} message(s) from the DLQ back to the queue.`);
    });
  withStackOptions(replay.command('event').description('Re-enqueue events by id from their stored payloads').argument('<evt_id...>', 'Stripe event ids'))
    .option('--force', 'rerun the handlers of events already processed (state never rolls back)', false)
    .action(async (eventIds: string[], options: { force: boolean }, command: Command) => {
      await runReplay({ ...command.optsWithGlobals(), selection: { kind: 'ids', eventIds }, force: options.force, dryRun: false });
    });
  withStackOptions(replay.command('range').description('Re-enqueue the events created in a time range'))
    .requiredOption('--since <time>', 'created at or after: ISO date/time, 6h, 3d or epoch seconds', (value) => parseTimeArg(value))
    .option('--until <time>', 'created before (default: now)', (value) => parseTimeArg(value))
    .option('--type <event-type>', 'only this event type')
    .option('--account <acct_id>', 'only this connected account')
    .addOption(new Option('--status <status>', 'only events with this ledger status (e.g. failed)').choices(LEDGER_STATUSES))
    .option('--force', 'rerun the handlers of events already processed (state never rolls back)', false)
    .option('--dry-run', 'list what would be replayed, enqueue nothing', false)
    .action(async (options: { since: number; until?: number; type?: string; account?: string; status?: LedgerStatus; force: boolean; dryRun: boolean }, command: Command) => {
      checkTimeRange(options);
      const selection: ReplaySelection = {
        kind: 'range',
        since: options.since,
        ...(options.until === undefined ? {} : { until: options.until }),
        ...(options.type === undefined ? {} : { eventType: options.type }),
        ...(options.account === undefined ? {} : { account: options.account }),
        ...(options.status === undefined ? {} : { status: options.status }),
      };
      await runReplay({ ...command.optsWithGlobals(), selection, force: options.force, dryRun: options.dryRun });
    });
  return replay;
};
