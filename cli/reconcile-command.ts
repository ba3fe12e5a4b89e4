import { Command } from 'commander';
import { createDynamoDbReconcileCursors } from '../functions/adapters/dynamodb-reconcile-cursors';
import { createStripeEventSource } from '../functions/adapters/stripe-event-source';
import { createLogger } from '../functions/adapters/logger';
import { recentlyActiveAccounts, reconcile } from '../functions/core/reconcile';
import { accountIdArg } from './arg-parsers';
import { openQueuesFor } from './queue-target';
import { stripeFor } from './stripe-target';
import { openLedgerFor, withStackOptions } from './target';
import { parseTimeArg } from './time-arg';

const collect = (value: string, previous: string[]): string[] => [...previous, accountIdArg(value)];

/** `reconcile`: find events Stripe has but the ledger lacks, and put them through the pipeline. */
export const reconcileCommand = (): Command =>
  withStackOptions(
    new Command('reconcile')
      .description("List Stripe's events (platform and connected accounts) and enqueue those the ledger has never seen")
      .option('--since <time>', 'from this time instead of the saved cursors: ISO date/time, 6h, 3d or epoch seconds', (value) => parseTimeArg(value))
      .option('--account <acct_id>', 'a connected account to include (repeatable; default: accounts with ledger activity in the last 7 days)', collect, [])
      .option('--state <file>', 'state file of the local pipeline'),
  ).action(async (options: { since?: number; account: string[] }, command: Command) => {
    const target = command.optsWithGlobals();
    const [ledger, queues, stripe] = await Promise.all([openLedgerFor(target), openQueuesFor(target), stripeFor(target)]);
    const nowMs = Date.now();
    const accounts = options.account.length > 0 ? options.account : await recentlyActiveAccounts({ ledger, nowMs, days: 7 });
    const reports = await reconcile({
      source: createStripeEventSource({ stripeFor: stripe }),
      ledger,
      queue: queues.queue,
      cursors: createDynamoDbReconcileCursors({ client: queues.documentClient, tableName: queues.stateTableName }),
      accounts,
      nowMs,
      logger: createLogger({ serviceName: 'reconcile-cli' }),
      ...(options.since === undefined ? {} : { since: options.since }),
    });
    for (const report of reports) {
      console.log(`${report.scope}: ${report.listed} listed since ${new Date(report.since * 1000).toISOString()}, ${report.missing.length} missing and enqueued${report.missing.length > 0 ? `: ${report.missing.join(', ')}` : ''}`);
    }
  });
