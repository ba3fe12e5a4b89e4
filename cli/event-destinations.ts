import type Stripe from 'stripe';
import { accountsV2Projections } from '../functions/core/handlers/v2';

/** The Accounts v2 thin event types the thin destination subscribes to: every type a projection handles. */
export const thinEnabledEvents = (): string[] => Object.keys(accountsV2Projections).sort();

/** A destination made or found by {@link ensureThinDestination} or {@link ensureEventBridgeDestination}. */
export interface EnsuredDestination {
  readonly id: string;
  readonly created: boolean;
  /** The webhook signing secret, returned by Stripe only on creation. */
  readonly secret?: string;
  /** For an EventBridge destination: the partner event source to give the stack (`stripeEventBridgeSource`). */
  readonly eventSource?: string;
}

const listDestinations = (stripe: Stripe): Promise<Stripe.V2.Core.EventDestination[]> =>
  stripe.v2.core.eventDestinations.list({ include: ['webhook_endpoint.url'] }).autoPagingToArray({ limit: 1000 });

const THIN_SCOPES = ['@self', '@accounts'];

/** The region of a partner event source ARN (`arn:aws:events:<region>::event-source/aws.partner/…`). */
const regionOfSource = (arn: string | undefined): string | undefined => arn?.split(':')[3];

/**
 * The thin event destination (`event_payload: thin`, from `@self` and `@accounts`) posting to `url`: created
 * with the Accounts v2 types, or, when one with this URL exists, its types updated (its secret stays as it is).
 */
export const ensureThinDestination = async (options: { readonly stripe: Stripe; readonly url: string }): Promise<EnsuredDestination> => {
  const enabled_events = thinEnabledEvents();
  const found = (await listDestinations(options.stripe)).find((destination) => destination.type === 'webhook_endpoint' && destination.event_payload === 'thin' && destination.webhook_endpoint?.url === options.url);
  if (found !== undefined) {
    await options.stripe.v2.core.eventDestinations.update(found.id, { enabled_events });
    return { id: found.id, created: false };
  }
  const created = await options.stripe.v2.core.eventDestinations.create({
    name: 'connect-webhooks thin events',
    description: 'connect-webhooks: Accounts v2 thin events',
    type: 'webhook_endpoint',
    event_payload: 'thin',
    events_from: THIN_SCOPES,
    enabled_events,
    webhook_endpoint: { url: options.url },
    include: ['webhook_endpoint.signing_secret'],
  });
  const secret = created.webhook_endpoint?.signing_secret;
  return { id: created.id, created: true, ...(secret === undefined ? {} : { secret }) };
};

/**
 * An Amazon EventBridge destination for the AWS account and region (thin Accounts v2 events, from `@self` and
 * `@accounts`): Stripe creates a partner event source there, which the stack's `stripeEventBridgeSource` takes.
 */
export const ensureEventBridgeDestination = async (options: { readonly stripe: Stripe; readonly awsAccountId: string; readonly awsRegion: string }): Promise<EnsuredDestination> => {
  const enabled_events = thinEnabledEvents();
  const found = (await listDestinations(options.stripe)).find(
    (destination) => destination.type === 'amazon_eventbridge' && destination.amazon_eventbridge?.aws_account_id === options.awsAccountId && regionOfSource(destination.amazon_eventbridge?.aws_event_source_arn) === options.awsRegion && destination.event_payload === 'thin',
  );
  if (found !== undefined) {
    await options.stripe.v2.core.eventDestinations.update(found.id, { enabled_events });
    return { id: found.id, created: false, ...sourceOf(found) };
  }
  const created = await options.stripe.v2.core.eventDestinations.create({
    name: 'connect-webhooks EventBridge',
    description: 'connect-webhooks: Accounts v2 thin events to Amazon EventBridge',
    type: 'amazon_eventbridge',
    event_payload: 'thin',
    events_from: THIN_SCOPES,
    enabled_events,
    amazon_eventbridge: { aws_account_id: options.awsAccountId, aws_region: options.awsRegion },
  });
  return { id: created.id, created: true, ...sourceOf(created) };
};

/** `aws.partner/stripe.com/ed_…`, the name in the partner event source's ARN. */
const sourceOf = (destination: Stripe.V2.Core.EventDestination): { eventSource?: string } => {
  const arn = destination.amazon_eventbridge?.aws_event_source_arn;
  const name = arn?.split(':event-source/')[1];
  return name === undefined ? {} : { eventSource: name };
};
