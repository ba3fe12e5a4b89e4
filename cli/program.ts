import { Command } from 'commander';
import { version } from '../package.json';
import { accountsCommand } from './accounts-command';
import { throwInsteadOfExit } from './cli-errors';
import { doctorCommand } from './doctor-command';
import { endpointsCommand } from './endpoints-command';
import { eventsCommand } from './events-command';
import { reconcileCommand } from './reconcile-command';
import { replayCommand } from './replay-command';
import { secretsCommand } from './secrets-command';
import { triggerCommand } from './trigger-command';

/**
 * The whole `connect-webhooks` command line, run by `bin/connect-webhooks.ts` and read by the CLI reference
 * generator; commander throws rather than exits (see `exitCodeOf`).
 */
export const buildProgram = (): Command =>
  throwInsteadOfExit(
    new Command('connect-webhooks')
      .description('Operate the Stripe Connect webhook pipeline: the local one started by `npm start` by default, a deployed stack with --stack')
      .version(version, '-V, --version', 'print the version')
      .showHelpAfterError()
      .addCommand(triggerCommand())
      .addCommand(eventsCommand())
      .addCommand(accountsCommand())
      .addCommand(secretsCommand())
      .addCommand(replayCommand())
      .addCommand(reconcileCommand())
      .addCommand(endpointsCommand())
      .addCommand(doctorCommand()),
  );
