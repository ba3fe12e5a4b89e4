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

type DestinationTarget = Omit<Stripe.V2.Core.EventDestinationCreateParams, 'event_payload' | 'events_from' | 'enabled_events'>;

/**
 * A thin destination (`event_payload: thin`, from `@self` and `@accounts`, the Accounts v2 types): when one
 * `matches`, its types are updated (anything else of it, its secret included, stays as it is); otherwise it is
 * created with `target`.
 */
const ensureDestination = async (options: {
  readonly stripe: Stripe;
  readonly matches: (destination: Stripe.V2.Core.EventDestination) => boolean;
  readonly target: DestinationTarget;
}): Promise<{ readonly destination: Stripe.V2.Core.EventDestination; readonly created: boolean }> => {
  const enabled_events = thinEnabledEvents();
  const found = (await listDestinations(options.stripe)).find((destination) => destination.event_payload === 'thin' && options.matches(destination));
  if (found !== undefined) {
    await options.stripe.v2.core.eventDestinations.update(found.id, { enabled_events });
    return { destination: found, created: false };
  }
  const destination = await options.stripe.v2.core.eventDestinations.create({ ...options.target, event_payload: 'thin', events_from: THIN_SCOPES, enabled_events });
  return { destination, created: true };
};

/** The thin event destination posting to `url`; Stripe returns its signing secret only when it is created. */
export const ensureThinDestination = async (options: { readonly stripe: Stripe; readonly url: string }): Promise<EnsuredDestination> => {
  const { destination, created } = await ensureDestination({
    stripe: options.stripe,
    matches: (candidate) => candidate.type === 'webhook_endpoint' && candidate.webhook_endpoint?.url === options.url,
    target: {
      name: 'connect-webhooks thin events',
      description: 'connect-webhooks: Accounts v2 thin events',
      type: 'webhook_endpoint',
      webhook_endpoint: { url: options.url },
      include: ['webhook_endpoint.signing_secret'],
    },
  });
  const secret = created ? destination.webhook_endpoint?.signing_secret : undefined;
  return { id: destination.id, created, ...(secret === undefined ? {} : { secret }) };
};

/**
 * An Amazon EventBridge destination for the AWS account and region: Stripe creates a partner event source there,
 * which the stack's `stripeEventBridgeSource` takes.
 */
export const ensureEventBridgeDestination = async (options: { readonly stripe: Stripe; readonly awsAccountId: string; readonly awsRegion: string }): Promise<EnsuredDestination> => {
  const { destination, created } = await ensureDestination({
    stripe: options.stripe,
    matches: (candidate) =>
      candidate.type === 'amazon_eventbridge' && candidate.amazon_eventbridge?.aws_account_id === options.awsAccountId && regionOfSource(candidate.amazon_eventbridge?.aws_event_source_arn) === options.awsRegion,
    target: {
      name: 'connect-webhooks EventBridge',
      description: 'connect-webhooks: Accounts v2 thin events to Amazon EventBridge',
      type: 'amazon_eventbridge',
      amazon_eventbridge: { aws_account_id: options.awsAccountId, aws_region: options.awsRegion },
    },
  });
  return { id: destination.id, created, ...sourceOf(destination) };
};

/** `aws.partner/stripe.com/ed_…`, the name in the partner event source's ARN. */
const sourceOf = (destination: Stripe.V2.Core.EventDestination): { eventSource?: string } => {
  const arn = destination.amazon_eventbridge?.aws_event_source_arn;
  const name = arn?.split(':event-source/')[1];
  return name === undefined ? {} : { eventSource: name };
};
