import { STATE_FILE, readPipelineState } from '../local/local-settings';
import type { PipelineState } from '../local/local-settings';
import { STAND_IN_OBJECTS_PATH } from '../local/stripe-stand-in';
import { loadTarget } from './pipeline-target';
import { buildThinEvent } from './thin-event-templates';
import type { BuiltThinEvent } from './thin-event-templates';
import { putEventBridgeDelivery } from './trigger-eventbridge';
import { postSigned, resolveTriggerTarget } from './trigger-target';

/** Options of `trigger` for a thin event type. */
export interface ThinTriggerOptions {
  readonly account?: string;
  readonly livemode: boolean;
  readonly url?: string;
  /** Signs with this secret instead of the local pipeline's (or STRIPE_THIN_WEBHOOK_SECRET with --url). */
  readonly secret?: string;
  readonly state?: string;
  /** Deliver as Stripe's EventBridge destination would: the envelope straight into the queue, no HTTP, no signature. */
  readonly eventbridge?: boolean;
}

/** Gives the pipeline's Stripe stand-in what the worker will fetch; a pipeline on another Stripe must serve it itself. */
const publish = async (state: PipelineState | undefined, built: BuiltThinEvent): Promise<string> => {
  if (state?.stripeStandInUrl === undefined) return `the pipeline reads from STRIPE_API_BASE_URL: that Stripe must serve ${built.id}`;
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
  const built = buildThinEvent({ type, livemode: options.livemode, ...(options.account === undefined ? {} : { account: options.account }) });
  if (options.eventbridge === true) {
    const state = loadTarget(options.state === undefined ? {} : { state: options.state });
    const served = await publish(state, built);
    const messageId = await putEventBridgeDelivery({ state, type: built.type, detail: JSON.parse(built.notification) as unknown });
    console.log(`${built.id}  ${built.type}  → queue as an EventBridge delivery (${built.account}; ${served}): message ${messageId}`);
    return;
  }
  const target = resolveTriggerTarget({ route: 'thin', ...options, env: process.env });
  const served = await publish(readPipelineState(options.state ?? STATE_FILE), built);
  const response = await postSigned({ target, route: 'thin', payload: built.notification });
  console.log(`${built.id}  ${built.type}  → thin route (${built.account}; ${served}): HTTP ${response.status} ${response.body}`);
  if (!response.ok) process.exitCode = 1;
};
