import { Command } from 'commander';
import Stripe from 'stripe';
import { TRIGGER_CASES, buildEvent, isTriggerCase } from './event-templates';
import { loadTarget } from './pipeline-target';
import { THIN_TRIGGER_TYPES, isThinTriggerType } from './thin-event-templates';
import { triggerThin } from './trigger-thin';

/** `trigger <event-type>`: posts a realistic, freshly signed event to the right route. */
export const triggerCommand = (): Command =>
  new Command('trigger')
    .description('Send a realistic signed Stripe event to the local pipeline')
    .argument('<event-type>', `one of: ${Object.keys(TRIGGER_CASES).join(', ')}`)
    .option('--account <acct_id>', 'connected account the event belongs to (replaces the template account)')
    .option('--livemode', 'mark the event as a live-mode event', false)
    .option('--url <base-url>', 'base URL of the pipeline (default: the running local pipeline)')
    .option('--state <file>', 'state file of the local pipeline')
    .option('--eventbridge', 'thin types: put an EventBridge delivery straight into the queue instead of posting', false)
    .addHelpText('after', `\nThin (v2) types, sent to /webhooks/thin: ${Object.keys(THIN_TRIGGER_TYPES).join(', ')}.`)
    .addHelpText('after', '\nPayment intents: `payment_intent.succeeded` is a direct charge (Connect route, with `account`);\n`payment_intent.succeeded.destination` is a destination charge (account route, no `account`).')
    .action(async (eventType: string, options: { account?: string; livemode: boolean; url?: string; state?: string; eventbridge: boolean }) => {
      if (isThinTriggerType(eventType)) return triggerThin(eventType, options);
      if (!isTriggerCase(eventType)) throw new Error(`Unknown event type "${eventType}". Choose one of: ${Object.keys(TRIGGER_CASES).join(', ')}`);
      const state = loadTarget(options);
      const event = buildEvent({ name: eventType, livemode: options.livemode, ...(options.account ? { account: options.account } : {}) });
      const secret = state.secrets[event.route][0];
      if (secret === undefined) throw new Error(`The local pipeline has no secret for the ${event.route} endpoint.`);
      const header = Stripe.webhooks.generateTestHeaderString({ payload: event.payload, secret });
      const url = `${options.url ?? state.url}/webhooks/${event.route}`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'connect-webhooks-cli' },
        body: event.payload,
      });
      const body = await response.text();
      console.log(`${event.id}  ${event.type}  → ${event.route} route${event.account ? ` (${event.account})` : ''}: HTTP ${response.status} ${body}`);
      if (!response.ok) process.exitCode = 1;
    });
