import { Command, InvalidArgumentError } from 'commander';
import { createSecretsManagerClient } from '../functions/adapters/aws-clients';
import { cliAwsOptions } from './aws-options';
import { isWebhookSigningSecret } from '../functions/adapters/webhook-secret-document';
import { WebhookRoute } from '../functions/core/stripe-event';
import { STATE_FILE, readPipelineState } from '../local/local-settings';
import { addSecrets, describeLists, maskSecret, pruneSecrets } from './secret-lists';
import { createWebhookSecretStore } from './secret-store';
import type { WebhookSecretStore } from './secret-store';
import { stackTargetOf, withStackOptions } from './target';
import type { TargetOptions } from './target';
import { UsageError } from './cli-errors';

const LOCAL_SOURCE =
  'The local pipeline (`npm start`) takes its secrets from STRIPE_WEBHOOK_SECRET (account endpoint),\n' +
  'STRIPE_CONNECT_WEBHOOK_SECRET (Connect endpoint) and STRIPE_THIN_WEBHOOK_SECRET (thin destination), comma-separated,\n' +
  'or makes development secrets when they are unset; change them and restart `npm start`.';

const PICKUP =
  'The ingest reads the change within its cache time (WEBHOOK_SECRET_CACHE_SECONDS, 300 s by default); an event\n' +
  'signed with a secret it does not know yet makes it reload sooner.';

const positiveInteger = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('must be a positive integer');
  return number;
};

const collect = (value: string, previous: readonly string[] | undefined): readonly string[] => [...(previous ?? []), value];

/** The deployed stack's secret, or undefined without `--stack`. */
const storeFor = async (options: TargetOptions): Promise<WebhookSecretStore | undefined> => {
  const stack = await stackTargetOf(options);
  if (stack === undefined) return undefined;
  return createWebhookSecretStore({ client: createSecretsManagerClient(cliAwsOptions(stack.region)), secretId: stack.resource('webhookSecretName') });
};

/**
 * Changing secrets only makes sense on a deployed stack; locally they come from the environment. `validate`
 * runs after that check and before any AWS call.
 */
const requireStore = async (options: TargetOptions, commandName: string, validate: () => void = () => undefined): Promise<WebhookSecretStore> => {
  const missing = new UsageError(`${LOCAL_SOURCE}\n\`secrets ${commandName}\` changes a deployed stack's secret: pass --stack <name>.`);
  if (options.stack === undefined) throw missing;
  validate();
  const store = await storeFor(options);
  if (store === undefined) throw missing;
  return store;
};

const showLocal = (stateFile: string): void => {
  const state = readPipelineState(stateFile);
  if (state === undefined) {
    console.log(`${LOCAL_SOURCE}\nNo local pipeline is running in this checkout; pass --stack <name> for a deployed stack.`);
    return;
  }
  console.log(`Local pipeline (${stateFile}):\n${describeLists(state.secrets)}\n${LOCAL_SOURCE}`);
};

const showCommand = (): Command =>
  withStackOptions(new Command('show').description('Print the signing secrets of each endpoint, masked (whsec_…abcd), oldest first')).action(
    async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<TargetOptions>();
      const store = await storeFor(options);
      if (store === undefined) return showLocal(options.state ?? STATE_FILE);
      const { document, hasValue } = await store.read();
      console.log(`Webhook secret ${store.secretId} of stack ${options.stack}:\n${describeLists(document)}`);
      if (!hasValue) console.log(`It has no value yet: add secrets with \`connect-webhooks secrets set --stack ${options.stack} --account whsec_… --connect whsec_…\`.`);
      else console.log('The ingest accepts a signature made with any of them.');
    },
  );

/** Checks every given value before anything is read or written; messages never repeat a value. */
const validateAdditions = (additions: Readonly<Record<WebhookRoute, readonly string[]>>): void => {
  if (additions.account.length + additions.connect.length + additions.thin.length === 0) throw new UsageError('Nothing to add: pass --account whsec_…, --connect whsec_… and/or --thin whsec_….');
  for (const route of Object.values(WebhookRoute)) {
    const bad = additions[route].findIndex((value) => !isWebhookSigningSecret(value));
    if (bad >= 0) throw new UsageError(`--${route} value ${bad + 1} is not a Stripe webhook signing secret (those start with whsec_); nothing was changed.`);
  }
};

const setCommand = (): Command =>
  withStackOptions(new Command('set').description("Add signing secrets to the deployed stack's lists (newest last, no duplicates)"))
    .option('--account <whsec_…>', 'a signing secret of the account endpoint (repeatable)', collect)
    .option('--connect <whsec_…>', 'a signing secret of the Connect endpoint (repeatable)', collect)
    .option('--thin <whsec_…>', 'a signing secret of the thin event destination (repeatable)', collect)
    .addHelpText('after', `\nOld secrets stay valid until \`secrets prune\`, so a rotation never refuses Stripe's events.\n${PICKUP}`)
    .action(async (options: { account?: readonly string[]; connect?: readonly string[]; thin?: readonly string[] }, command: Command) => {
      const additions = { account: options.account ?? [], connect: options.connect ?? [], thin: options.thin ?? [] };
      const store = await requireStore(command.optsWithGlobals<TargetOptions>(), 'set', () => validateAdditions(additions));
      const { document: current } = await store.read();
      const { document, outcomes } = addSecrets(current, additions);
      for (const { route, secret, outcome } of outcomes) console.log(`${route}: ${maskSecret(secret)} ${outcome}`);
      if (outcomes.every(({ outcome }) => outcome === 'already newest')) {
        console.log(`Nothing to change in ${store.secretId}.\n${describeLists(document)}`);
        return;
      }
      await store.write(document);
      console.log(`Updated ${store.secretId}:\n${describeLists(document)}\n${PICKUP}`);
    });

const pruneCommand = (): Command =>
  withStackOptions(new Command('prune').description("Drop the older signing secrets of each endpoint after a rotation, keeping the newest"))
    .option('--keep <n>', 'secrets to keep per endpoint, the newest', positiveInteger, 1)
    .addHelpText('after', "\nRun it once Stripe no longer signs with the old secrets (the roll's expiry has passed).")
    .action(async (options: { keep: number }, command: Command) => {
      const store = await requireStore(command.optsWithGlobals<TargetOptions>(), 'prune');
      const { document: current, hasValue } = await store.read();
      const { document, removed } = pruneSecrets(current, options.keep);
      if (!hasValue || removed.account + removed.connect + (removed.thin ?? 0) === 0) {
        console.log(`Nothing to prune in ${store.secretId}: no list holds more than ${options.keep}.\n${describeLists(document)}`);
        return;
      }
      await store.write(document);
      console.log(`Removed ${removed.account} account, ${removed.connect} connect and ${removed.thin ?? 0} thin secret(s) from ${store.secretId}:\n${describeLists(document)}`);
    });

/** `secrets show|set|prune`: the webhook signing secrets of a deployed stack, kept in its Secrets Manager secret. */
export const secretsCommand = (): Command =>
  new Command('secrets')
    .description("Show or change the webhook signing secrets of a deployed stack (--stack); locally they come from the environment")
    .option('--state <file>', 'state file of the local pipeline')
    .addCommand(showCommand())
    .addCommand(setCommand())
    .addCommand(pruneCommand());
