import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { STRIPE_PARTNER_SOURCE_PREFIX } from '../functions/core/delivery';
import type { PipelineState } from '../local/local-settings';
import { useEmulatorEndpoints } from '../local/pipeline';
import { STAND_IN_OBJECTS_PATH } from '../local/stripe-stand-in';
import { loadTarget } from './pipeline-target';
import { buildThinEvent } from './thin-event-templates';
import type { BuiltThinEvent } from './thin-event-templates';

/** Options of `trigger` for a thin event type. */
export interface ThinTriggerOptions {
  readonly account?: string;
  readonly livemode: boolean;
  readonly url?: string;
  readonly state?: string;
  /** Deliver as Stripe's EventBridge destination would: the envelope straight into the queue, no HTTP, no signature. */
  readonly eventbridge?: boolean;
}

/** The EventBridge event Stripe's partner event source puts on the bus, `detail` being the thin notification. */
export const eventBridgeEnvelopeOf = (built: BuiltThinEvent): string =>
  JSON.stringify({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': built.type,
    source: `${STRIPE_PARTNER_SOURCE_PREFIX}/ed_test_local_trigger`,
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(built.notification) as unknown,
  });

/** Gives the pipeline's Stripe stand-in what the worker will fetch; a pipeline on another Stripe must serve it itself. */
const publish = async (state: PipelineState, built: BuiltThinEvent): Promise<string> => {
  if (state.stripeStandInUrl === undefined) return `the pipeline reads from STRIPE_API_BASE_URL: that Stripe must serve ${built.id}`;
  const response = await fetch(`${state.stripeStandInUrl}${STAND_IN_OBJECTS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [built.event], accounts: built.accounts, persons: built.persons, snapshots: built.snapshots }),
  });
  if (!response.ok) throw new Error(`The Stripe stand-in refused the objects: HTTP ${response.status}`);
  return 'served by the Stripe stand-in';
};

/** `trigger <thin type>`: a thin notification signed with the thin secret to `/webhooks/thin`, or (`--eventbridge`) an EventBridge delivery into the queue. */
export const triggerThin = async (type: string, options: ThinTriggerOptions): Promise<void> => {
  const state = loadTarget(options);
  const built = buildThinEvent({ type, livemode: options.livemode, ...(options.account === undefined ? {} : { account: options.account }) });
  const served = await publish(state, built);
  if (options.eventbridge === true) {
    useEmulatorEndpoints(state.endpoints);
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    try {
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: state.resources.queueUrl, MessageBody: eventBridgeEnvelopeOf(built) }));
      console.log(`${built.id}  ${built.type}  → queue as an EventBridge delivery (${built.account}; ${served}): message ${sent.MessageId}`);
    } finally {
      sqs.destroy();
    }
    return;
  }
  const secret = state.secrets.thin?.[0];
  if (secret === undefined) throw new Error('The local pipeline has no secret for the thin endpoint: restart `npm start`.');
  const header = Stripe.webhooks.generateTestHeaderString({ payload: built.notification, secret });
  const response = await fetch(`${options.url ?? state.url}/webhooks/thin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'connect-webhooks-cli' },
    body: built.notification,
  });
  console.log(`${built.id}  ${built.type}  → thin route (${built.account}; ${served}): HTTP ${response.status} ${await response.text()}`);
  if (!response.ok) process.exitCode = 1;
};
