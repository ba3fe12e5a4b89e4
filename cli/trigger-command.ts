import { Command } from 'commander';
import { TRIGGER_CASES, buildEvent, isTriggerCase } from './event-templates';
import { accountIdArg, signingSecretArg } from './arg-parsers';
import { UsageError } from './cli-errors';
import { THIN_TRIGGER_TYPES, isThinTriggerType } from './thin-event-templates';
import { loadTarget } from './pipeline-target';
import { putEventBridgeDelivery } from './trigger-eventbridge';
import { postSigned, resolveTriggerTarget } from './trigger-target';
import { triggerThin } from './trigger-thin';

/** `trigger <event-type>`: posts a realistic, freshly signed event to the right route. */
export const triggerCommand = (): Command =>
  new Command('trigger')
    .description('Send a realistic signed Stripe event to the local pipeline (or to --url)')
    .argument('<event-type>', `one of: ${Object.keys(TRIGGER_CASES).join(', ')}; thin (v2) types, sent to /webhooks/thin: ${Object.keys(THIN_TRIGGER_TYPES).join(', ')}`)
    .option('--account <acct_id>', 'connected account the event belongs to (replaces the template account)', accountIdArg)
    .option('--livemode', 'mark the event as a live-mode event', false)
    .option('--url <base-url>', 'base URL of the pipeline (default: the running local pipeline)')
    .option('--secret <whsec_…>', 'signing secret (default: the local pipeline\'s; with --url, STRIPE_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET or STRIPE_THIN_WEBHOOK_SECRET by route)', signingSecretArg)
    .option('--state <file>', 'state file of the local pipeline')
    .option('--eventbridge', 'put an EventBridge delivery (as Stripe\'s Amazon EventBridge destination sends it) straight into the local pipeline\'s queue instead of posting', false)
    .addHelpText(
      'after',
      '\nPayment intents: `payment_intent.succeeded` is a direct charge (Connect route, with `account`);\n`payment_intent.succeeded.destination` is a destination charge (account route, no `account`).\n' +
        '`account.application.deauthorized` disconnects the account: its events created afterwards are recorded ignored. Send it last, or with another --account.',
    )
    .action(async (eventType: string, options: { account?: string; livemode: boolean; url?: string; secret?: string; state?: string; eventbridge: boolean }) => {
      if (options.eventbridge && options.url !== undefined) throw new UsageError('--eventbridge puts the event into the local pipeline\'s queue; it cannot be combined with --url.');
      if (isThinTriggerType(eventType)) return triggerThin(eventType, options);
      if (!isTriggerCase(eventType)) throw new UsageError(`Unknown event type "${eventType}". Choose one of: ${[...Object.keys(TRIGGER_CASES), ...Object.keys(THIN_TRIGGER_TYPES)].join(', ')}`);
      const event = buildEvent({ name: eventType, livemode: options.livemode, ...(options.account === undefined ? {} : { account: options.account }) });
      if (options.eventbridge) {
        const messageId = await putEventBridgeDelivery({ state: loadTarget(options.state === undefined ? {} : { state: options.state }), type: event.type, detail: JSON.parse(event.payload) as unknown });
        console.log(`${event.id}  ${event.type}  → queue as an EventBridge delivery${event.account ? ` (${event.account})` : ''}: message ${messageId}`);
        return;
      }
      const target = resolveTriggerTarget({ route: event.route, ...options, env: process.env });
      const response = await postSigned({ target, route: event.route, payload: event.payload });
      console.log(`${event.id}  ${event.type}  → ${event.route} route${event.account ? ` (${event.account})` : ''}: HTTP ${response.status} ${response.body}`);
      if (!response.ok) process.exitCode = 1;
      else if (event.type === 'account.application.deauthorized') {
        console.log(`Note: ${event.account ?? 'the account'} is now deauthorized: its events created from now on are recorded ignored. Try further events with another --account.`);
      }
    });
