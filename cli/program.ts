import { Command } from 'commander';
import { accountsCommand } from './accounts-command';
import { doctorCommand } from './doctor-command';
import { endpointsCommand } from './endpoints-command';
import { eventsCommand } from './events-command';
import { reconcileCommand } from './reconcile-command';
import { replayCommand } from './replay-command';
import { secretsCommand } from './secrets-command';
import { triggerCommand } from './trigger-command';

/** The `connect-webhooks` program with every command: run by `bin/connect-webhooks.ts`, read by the CLI reference generator. */
export const createProgram = (): Command =>
  new Command('connect-webhooks')
    .description('Operate the Stripe Connect webhook pipeline: the local one started by `npm start` by default, a deployed stack with --stack')
    .showHelpAfterError()
    .addCommand(triggerCommand())
    .addCommand(eventsCommand())
    .addCommand(accountsCommand())
    .addCommand(secretsCommand())
    .addCommand(replayCommand())
    .addCommand(reconcileCommand())
    .addCommand(endpointsCommand())
    .addCommand(doctorCommand());
