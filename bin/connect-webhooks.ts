import { Command } from 'commander';
import { accountsCommand } from '../cli/accounts-command';
import { eventsCommand } from '../cli/events-command';
import { secretsCommand } from '../cli/secrets-command';
import { triggerCommand } from '../cli/trigger-command';

// The SDK's notice about future Node versions is noise for a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('connect-webhooks')
  .description('Operate the Stripe Connect webhook pipeline: the local one started by `npm start` by default, a deployed stack with --stack')
  .showHelpAfterError()
  .addCommand(triggerCommand())
  .addCommand(eventsCommand())
  .addCommand(accountsCommand())
  .addCommand(secretsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
