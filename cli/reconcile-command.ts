import { Command } from 'commander';
import { createLogger } from '../functions/adapters/logger';
import { accountIdArg } from './arg-parsers';
import { createDocumentClient } from '../functions/adapters/dynamodb-documents';
import { reconcileWith } from '../functions/reconciler/create-handler';
import type { ReconciliationReport } from '../functions/reconciler/create-handler';
import { cliAwsOptions } from './aws-options';
import { loadTarget } from './pipeline-target';
import { openQueuesFor } from './queue-target';
import { stripeApiKeyFor } from './stripe-target';
import { stackTargetOf, withStackOptions } from './target';
import type { TargetOptions } from './target';
import { parseTimeArg } from './time-arg';

const collect = (value: string, previous: string[]): string[] => [...previous, accountIdArg(value)];

const tablesOf = async (target: TargetOptions) => {
  const stack = await stackTargetOf(target);
  if (stack === undefined) return { ...loadTarget(target).resources, region: undefined };
  return { ledgerTableName: stack.resource('ledgerTableName'), stateTableName: stack.resource('stateTableName'), region: stack.region };
};

const print = (report: ReconciliationReport): void => {
  for (const scope of report.reports) {
    const missing = scope.missing.length > 0 ? `: ${scope.missing.join(', ')}` : '';
    console.log(`${scope.scope}: ${scope.listed} listed since ${new Date(scope.since * 1000).toISOString()}, ${scope.missing.length} missing and enqueued${missing} [${scope.source}]${scope.stopped ? ' (stopped; the next run continues)' : ''}`);
  }
  for (const skipped of report.plan.skipped) console.log(`${skipped.account} (${skipped.mode}): skipped, ${skipped.reason}`);
  for (const failure of report.failures) console.error(`${failure.scope} (${failure.source}): failed${failure.refused ? ' (Stripe refused it)' : ''}: ${failure.error}`);
  if (report.status === 'busy') console.error('Another reconcile run holds the lease; nothing was read. Try again when it ends.');
  if (report.failures.length > 0 || report.status === 'busy') process.exitCode = 1;
};

/** `reconcile`: find events Stripe has but the ledger lacks, and put them through the pipeline. */
export const reconcileCommand = (): Command =>
  withStackOptions(
    new Command('reconcile')
      .description("List Stripe's events (platform and connected accounts) and enqueue those the ledger has never seen")
      .option('--since <time>', 'from this time instead of the saved cursors: ISO date/time, 6h, 3d or epoch seconds', (value) => parseTimeArg(value))
      .option('--account <acct_id>', "a connected account to check (repeatable; default: the reconciler's directory of accounts active in the last 7 days)", collect, [])
      .option('--state <file>', 'state file of the local pipeline'),
  ).action(async (options: { since?: number; account: string[] }, command: Command) => {
    const target = command.optsWithGlobals();
    const [queues, apiKey, tables] = await Promise.all([openQueuesFor(target), stripeApiKeyFor(target), tablesOf(target)]);
    const report = await reconcileWith({
      apiKey,
      stripeBaseUrl: process.env.STRIPE_API_BASE_URL,
      documentClient: createDocumentClient(cliAwsOptions(tables.region)),
      ledgerTableName: tables.ledgerTableName,
      stateTableName: tables.stateTableName,
      queue: queues.queue,
      accounts: options.account,
      activeDays: 7,
      logger: createLogger({ serviceName: 'reconcile-cli' }),
      deadlineMs: Number.POSITIVE_INFINITY,
      ...(options.since === undefined ? {} : { since: options.since }),
    });
    print(report);
  });
