import { Command, InvalidArgumentError, Option } from 'commander';
import { LEDGER_STATUSES } from '../functions/core/ledger-record';
import type { LedgerRecord, LedgerStatus } from '../functions/core/ledger-record';
import { eventIdArg } from './arg-parsers';
import { formatTable } from './table';
import { openLedgerFor, withStackOptions } from './target';

const positiveInteger = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('must be a positive integer');
  return number;
};

const EVENTS_HEADER = ['EVENT', 'STATUS', 'TYPE', 'ACCOUNT', 'MODE', 'RECEIVED (newest first)', 'CREATED', 'ATTEMPTS'];

const row = (record: LedgerRecord): string[] => [
  record.eventId,
  record.status,
  record.eventType,
  record.account ?? '(platform)',
  record.livemode ? 'live' : 'test',
  record.firstReceivedAt,
  new Date(record.created * 1000).toISOString(),
  String(record.attempts),
];

/** `events show` and `events list`: what the ledger knows about received events. */
export const eventsCommand = (): Command => {
  const events = new Command('events').description('Look up events in the ledger of the local pipeline or of a deployed stack (--stack)').option('--state <file>', 'state file of the local pipeline');
  withStackOptions(events.command('show').description('Print the ledger record of one event as JSON').argument('<evt_id>', 'Stripe event id', eventIdArg))
    .action(async (eventId: string, _options: unknown, command: Command) => {
      const ledger = await openLedgerFor(command.optsWithGlobals());
      const record = await ledger.get({ eventId, nowMs: Date.now() });
      if (record === undefined) {
        console.error(`No ledger record for ${eventId}: never received here, or past its retention.`);
        process.exitCode = 1;
        return;
      }
      console.log(JSON.stringify(record, null, 2));
    });
  withStackOptions(events.command('list').description('List ledger records, newest received first'))
    .addOption(new Option('--status <status>', 'only this status').choices(LEDGER_STATUSES))
    .option('--type <event-type>', 'only this event type')
    .option('--account <acct_id>', 'only this connected account')
    .option('--limit <n>', 'at most this many records', positiveInteger, 20)
    .option('--json', 'print JSON instead of a table', false)
    .action(async (options: { status?: LedgerStatus; type?: string; account?: string; limit: number; json: boolean }, command: Command) => {
      const ledger = await openLedgerFor(command.optsWithGlobals());
      const records = await ledger.list({
        nowMs: Date.now(),
        limit: options.limit,
        ...(options.status ? { status: options.status } : {}),
        ...(options.type ? { eventType: options.type } : {}),
        ...(options.account ? { account: options.account } : {}),
      });
      if (options.json) console.log(JSON.stringify(records, null, 2));
      else if (records.length === 0) console.log('No matching events.');
      else console.log(formatTable(EVENTS_HEADER, records.map(row)));
    });
  return events;
};
