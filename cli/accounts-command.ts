import { Command, Option } from 'commander';
import { partitionOf, partitionsOf } from '../functions/core/state/account-keys';
import { AccountStatus } from '../functions/core/state/account-status';
import { buildAccountView, summariseAccounts } from '../functions/core/state/account-view';
import type { AccountSummary, AccountView } from '../functions/core/state/account-view';
import { accountIdArg } from './arg-parsers';
import { formatTable } from './table';
import { openAccountStateFor, withStackOptions } from './target';

type Mode = 'live' | 'test';

/** The `--live` / `--test` pair; commander refuses both together. */
interface ModeOptions {
  readonly live?: boolean;
  readonly test?: boolean;
}


// Test first: it is where a platform starts, and where most of the local pipeline's data is.
const modesOf = (options: ModeOptions): readonly Mode[] => (options.live ? ['live'] : options.test ? ['test'] : ['test', 'live']);

const modeOptions = (command: Command): Command =>
  withStackOptions(command)
    .addOption(new Option('--live', 'only live mode').conflicts('test'))
    .addOption(new Option('--test', 'only test mode').conflicts('live'));

const describeModes = (modes: readonly Mode[]): string => (modes.length === 1 ? `${modes[0]} mode` : 'test or live mode');

const yesNo = (value: boolean | null): string => (value === null ? '-' : value ? 'yes' : 'no');

const HEADER = ['ACCOUNT', 'MODE', 'STATUS', 'BUSINESS NAME', 'CHARGES', 'PAYOUTS'];

const table = (summaries: readonly AccountSummary[]): string =>
  formatTable(HEADER, summaries.map((summary) => [summary.account, summary.mode, summary.status ?? '-', summary.businessName ?? '-', yesNo(summary.chargesEnabled), yesNo(summary.payoutsEnabled)]));

const showCommand = (): Command =>
  modeOptions(
    new Command('show')
      .description('Print what the state table knows about one connected account, per mode, as JSON')
      .argument('<acct_id>', 'connected account id', accountIdArg),
  ).action(async (account: string, options: ModeOptions, command: Command) => {
    const reader = await openAccountStateFor(command.optsWithGlobals());
    const modes = modesOf(options);
    const found = await Promise.all(
      modes.map(async (mode) => {
        // The profile's partition and the write shards (payments, payouts): a few queries, side by side.
        const partition = partitionOf({ account, livemode: mode === 'live' });
        const records = (await Promise.all(partitionsOf({ account, livemode: mode === 'live' }).map((key) => reader.partition(key)))).flat();
        return records.length === 0 ? undefined : ([mode, buildAccountView({ partition, records })] as const);
      }),
    );
    const views: Partial<Record<Mode, AccountView>> = Object.fromEntries(found.filter((entry) => entry !== undefined));
    if (Object.keys(views).length === 0) {
      console.error(`No state recorded for ${account} in ${describeModes(modes)}: no event of this account was processed by this pipeline. See \`connect-webhooks events list --account ${account}\`.`);
      process.exitCode = 1;
      return;
    }
    console.log(JSON.stringify({ account, modes: views }, null, 2));
  });

const listCommand = (): Command =>
  modeOptions(
    new Command('list')
      .description('List connected accounts with their derived status, ordered by account then mode')
      .addOption(new Option('--status <status>', 'only accounts with this status').choices(Object.values(AccountStatus))),
  )
    .option('--json', 'print JSON instead of a table', false)
    .action(async (options: ModeOptions & { status?: AccountStatus; json: boolean }, command: Command) => {
      const reader = await openAccountStateFor(command.optsWithGlobals());
      const modes = modesOf(options);
      const summaries = summariseAccounts(await reader.profiles()).filter(
        (summary) => modes.includes(summary.mode) && (options.status === undefined || summary.status === options.status),
      );
      if (options.json) console.log(JSON.stringify(summaries, null, 2));
      else if (summaries.length === 0) console.log('No matching accounts.');
      else console.log(table(summaries));
    });

/** `accounts show` and `accounts list`: the Connect state the worker's projections recorded. */
export const accountsCommand = (): Command =>
  new Command('accounts')
    .description('Look up connected accounts in the Connect state table of the local pipeline or of a deployed stack (--stack)')
    .option('--state <file>', 'state file of the local pipeline')
    .addCommand(showCommand())
    .addCommand(listCommand());
