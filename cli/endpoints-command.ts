import { Command } from 'commander';
import type Stripe from 'stripe';
import { createSecretsManagerClient } from '../functions/adapters/aws-clients';
import { cliAwsOptions } from './aws-options';
import { connectProjections } from '../functions/core/handlers';
import { customHandlers } from '../functions/custom/handlers';
import { addSecrets, describeLists } from './secret-lists';
import { createWebhookSecretStore } from './secret-store';
import { stripeFor } from './stripe-target';
import { stackTargetOf, withStackOptions } from './target';
import { UsageError } from './cli-errors';
import { ensureEventBridgeDestination, ensureThinDestination } from './event-destinations';

/** Platform events the built-in projections use: the platform's own payments, payouts and balance. */
const ACCOUNT_ENDPOINT_EVENTS = ['payment_intent.succeeded', 'balance.available', 'payout.failed', 'payout.paid'] as const;

/** Event types each endpoint subscribes to: the projections' (per endpoint) plus every custom handler's. */
export const enabledEvents = (connect: boolean): string[] => {
  const custom = Object.keys(customHandlers);
  const base = connect ? Object.keys(connectProjections) : [...ACCOUNT_ENDPOINT_EVENTS];
  return [...new Set([...base, ...custom])].sort();
};

/** Creates the endpoint, or updates its events when one with this URL and kind exists; returns a new secret only on creation. */
const ensureEndpoint = async (options: { readonly stripe: Stripe; readonly existing: readonly Stripe.WebhookEndpoint[]; readonly url: string; readonly connect: boolean }) => {
  const enabled_events = enabledEvents(options.connect) as Stripe.WebhookEndpointCreateParams.EnabledEvent[];
  const found = options.existing.find((endpoint) => endpoint.url === options.url && (endpoint.application !== null) === options.connect);
  if (found !== undefined) {
    await options.stripe.webhookEndpoints.update(found.id, { enabled_events });
    return { id: found.id, created: false, secret: undefined };
  }
  const created = await options.stripe.webhookEndpoints.create({ url: options.url, enabled_events, connect: options.connect, description: `connect-webhooks ${options.connect ? 'Connect' : 'account'} endpoint` });
  return { id: created.id, created: true, secret: created.secret };
};

/** The EventBridge destination for `--eventbridge <account>:<region>`, and the partner event source to give the stack. */
const eventBridgeTarget = (target: string): { readonly awsAccountId: string; readonly awsRegion: string } => {
  const match = /^(\d{12}):([a-z]{2}(-[a-z]+)+-\d)$/.exec(target);
  if (match === null) throw new UsageError(`--eventbridge must be <12-digit AWS account id>:<region>, got "${target}"`);
  return { awsAccountId: match[1] as string, awsRegion: match[2] as string };
};

const reportEventBridge = async (stripe: Stripe, target: ReturnType<typeof eventBridgeTarget>): Promise<void> => {
  const destination = await ensureEventBridgeDestination({ stripe, ...target });
  console.log(`EventBridge destination ${destination.id}: ${destination.created ? 'created' : 'already there; events updated'}`);
  console.log(destination.eventSource === undefined
    ? `Deploy with -c stripeEventBridgeSource=aws.partner/stripe.com/${destination.id} (the stack's partner event bus associates the source).`
    : `Deploy with -c stripeEventBridgeSource=${destination.eventSource} to receive its events.`);
};

/** `endpoints create`: the platform's Stripe webhook endpoints and event destinations, set up in one command. */
export const endpointsCommand = (): Command => {
  const endpoints = new Command('endpoints').description("Set up the platform's Stripe webhook endpoints");
  withStackOptions(endpoints.command('create').description('Create or update the account endpoint (connect: false), the Connect endpoint (connect: true) and the thin event destination, and store their signing secrets'))
    .option('--url <api-base-url>', 'base URL of the deployment (default with --stack: from its AccountWebhookUrl output)')
    .option('--eventbridge <aws-account-id:region>', 'also an Amazon EventBridge destination (thin Accounts v2 events) for this AWS account and region')
    .action(async (options: { url?: string; eventbridge?: string }, command: Command) => {
      const eventBridge = options.eventbridge === undefined ? undefined : eventBridgeTarget(options.eventbridge);
      const target = command.optsWithGlobals();
      const stack = await stackTargetOf(target);
      const base = (options.url ?? stack?.resource('accountWebhookUrl').replace(/\/webhooks\/account$/, ''))?.replace(/\/+$/, '');
      if (base === undefined) throw new UsageError('Pass --url <api base url> (or --stack <name> to read it from the stack).');
      const stripe = (await stripeFor(target))(undefined);
      const existing = await stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
      const account = await ensureEndpoint({ stripe, existing, url: `${base}/webhooks/account`, connect: false });
      const connect = await ensureEndpoint({ stripe, existing, url: `${base}/webhooks/connect`, connect: true });
      const thin = await ensureThinDestination({ stripe, url: `${base}/webhooks/thin` });
      for (const [name, result] of [['account', account], ['Connect', connect], ['thin', thin]] as const) {
        console.log(`${name} endpoint ${result.id}: ${result.created ? 'created' : 'already there; events updated, secret unchanged'}`);
      }
      if (eventBridge !== undefined) await reportEventBridge(stripe, eventBridge);
      const fresh = { account: account.secret === undefined ? [] : [account.secret], connect: connect.secret === undefined ? [] : [connect.secret], thin: thin.secret === undefined ? [] : [thin.secret] };
      if (fresh.account.length + fresh.connect.length + fresh.thin.length === 0) return;
      if (stack === undefined) {
        console.log(`Add the new secrets to the local pipeline and restart it:\n  STRIPE_WEBHOOK_SECRET=${fresh.account.join(',')} STRIPE_CONNECT_WEBHOOK_SECRET=${fresh.connect.join(',')} STRIPE_THIN_WEBHOOK_SECRET=${fresh.thin.join(',')} npm start`);
        return;
      }
      const store = createWebhookSecretStore({ client: createSecretsManagerClient(cliAwsOptions(stack.region)), secretId: stack.resource('webhookSecretName') });
      const { document } = await store.read();
      const updated = addSecrets(document, fresh);
      await store.write(updated.document);
      console.log(`Signing secrets stored in ${store.secretId}: ${describeLists(updated.document)}`);
    });
  return endpoints;
};
