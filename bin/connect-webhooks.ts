import { Command } from 'commander';
import { accountsCommand } from '../cli/accounts-command';
import { endpointsCommand } from '../cli/endpoints-command';
import { eventsCommand } from '../cli/events-command';
import { reconcileCommand } from '../cli/reconcile-command';
import { replayCommand } from '../cli/replay-command';
import { secretsCommand } from '../cli/secrets-command';
import { triggerCommand } from '../cli/trigger-command';

// The SDK's notice about future Node versions is noise for a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Commands print their own results; the library's JSON log lines are for Lambda.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const program = new Command('connect-webhooks')
  .description('Operate the Stripe Connect webhook pipeline: the local one started by `npm start` by default, a deployed stack with --stack')
  .showHelpAfterError()
  .addCommand(triggerCommand())
  .addCommand(eventsCommand())
  .addCommand(accountsCommand())
  .addCommand(secretsCommand())
  .addCommand(replayCommand())
  .addCommand(reconcileCommand())
  .addCommand(endpointsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
