import type Stripe from 'stripe';
import { HandlerError, InvalidEventError, StripeUnavailableError, describeError } from './errors';
import { ledgerFactsOf, parseDelivery } from './delivery';
import type { Delivery } from './delivery';
import type { HandlerInput, HandlerRegistry, HandlerResult, RegisteredHandler } from './handler-registry';
import { refusedModeReason } from './livemode-policy';
import { minimisePayload } from './payload-minimisation';
import type { AcceptedModes } from './livemode-policy';
import type { ScopeDirectory } from './reconcile/ports';
import type { AccountStateReader, Clock, CompleteResult, EventLedger, Logger, ReplayMark } from './ports';
import { RecordOutcome, outcomeOfIgnore } from './record-outcome';
import { RecordKey, shardOf, shardPartitionOf } from './state/account-keys';
import { AuthorizationAttribute, isBlockedByDeauthorization } from './state/authorization';
import { assertDistinctRecords, eventVersion } from './state/state-write';
import type { DeauthorizationGuard } from './state/state-write';
import { requireReader } from './thin-handler';
import type { StripeV2Reader } from './thin-handler';
import { runThinHandlers } from './process-thin-event';
import { isV1ThinType, processV1ThinEvent } from './process-v1-thin-event';

/** One queue message as the worker sees it. */
export interface IncomingRecord {
  readonly messageId: string;
  readonly body: string;
  /** How many times the queue has handed this message out, this time included. */
  readonly receiveCount: number;
  /** Set when an operator replayed the event (`connect-webhooks replay`). */
  readonly replay?: ReplayMark;
}

export { RecordOutcome } from './record-outcome';

/** Everything the worker use case needs. */
export interface WorkerDependencies {
  readonly ledger: EventLedger;
  readonly registry: HandlerRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Which modes this deployment processes. */
  readonly acceptedModes: AcceptedModes;
  /** Reads the state table; needed before custom handlers run, to skip deauthorized accounts. */
  readonly state: AccountStateReader;
  /** A Stripe client acting as the account (or the platform when undefined); called only when a handler uses it. */
  readonly stripeFor: (account: string | undefined) => Stripe;
  /** The reconciler's directory of connected accounts, told of each account's activity (at most a write a day). */
  readonly scopes?: Pick<ScopeDirectory, 'noteActive'>;
  /** Fetches thin events and the objects they name; needed only when thin events arrive. */
  readonly stripeV2?: StripeV2Reader;
}

/** The events that change whether the platform may act on an account: never blocked by the guard themselves. */
const AUTHORIZATION_EVENTS: ReadonlySet<string> = new Set(['account.application.deauthorized', 'account.application.authorized']);

/** The authorization record the guard checks: the copy in the write shard of the event id, so a busy account's guards spread. */
const guardTarget = ({ envelope }: Delivery, account: string) => ({
  partition: shardPartitionOf({ account, livemode: envelope.livemode, shard: shardOf(envelope.id) }),
  item: RecordKey.authorizationGuard,
});

/**
 * The event's own connected account must not be deauthorized as of this event. Platform events (a
 * destination charge naming an account) are the platform's own business and are never blocked, which
 * keeps the commit's guard and the custom-handler check below in agreement.
 */
export const guardsFor = (parsed: Delivery): DeauthorizationGuard[] => {
  const { account, type } = parsed.envelope;
  if (account === undefined || AUTHORIZATION_EVENTS.has(type)) return [];
  return [{ ...guardTarget(parsed, account), versionAttribute: AuthorizationAttribute.deauthorized, authorizationAttribute: AuthorizationAttribute.authorized, version: eventVersion(parsed.envelope) }];
};

/**
 * The worker use case for one record: parse, check the mode, dedupe through the ledger, run the type's
 * handlers, then commit their state writes with the ledger in one transaction. Returns `retry` when the
 * message must stay on the queue; throws only for a body that is not an event (it then reaches the DLQ after
 * maxReceiveCount) or a ledger that cannot be reached.
 */
export const createEventProcessor = (deps: WorkerDependencies) => async function processRecord(record: IncomingRecord): Promise<RecordOutcome> {
  const parsed = parseRecord(record, deps.logger);
  const facts = ledgerFactsOf(parsed);
  const log = { eventId: facts.eventId, eventType: facts.eventType, account: facts.account, livemode: facts.livemode, messageId: record.messageId, replayId: record.replay?.id, ...(parsed.via === 'queue' ? {} : { via: parsed.via }) };
  const refused = refusedModeReason({ livemode: facts.livemode, accepted: deps.acceptedModes });
  // Every event of an accepted mode keeps its account in the reconciler's directory, handled type or not. Before
  // any ledger write: should the directory be unreachable, the record is retried like an unreachable ledger.
  if (refused === undefined && facts.account !== undefined) await deps.scopes?.noteActive({ account: facts.account, livemode: facts.livemode, nowMs: deps.clock() });
  if (refused === undefined && parsed.kind === 'thin' && isV1ThinType(facts.eventType)) return processV1ThinEvent({ deps, parsed, record, processSnapshot: processRecord });
  // What the ledger keeps for replay: personal data the projections never read is left out (payload-minimisation.ts).
  const keep = { payload: minimisePayload(facts.eventType, record.body), ...(record.replay === undefined ? {} : { replay: record.replay }) };
  const handlers = deps.registry.find(facts.eventType);
  const count = parsed.kind === 'thin' ? (handlers.thin?.length ?? 0) : handlers.projections.length + handlers.custom.length;
  const ignoreReason = refused ?? (count === 0 ? 'no handler registered for this event type' : undefined);
  if (ignoreReason !== undefined) {
    const result = await deps.ledger.ignore({ facts, reason: ignoreReason, nowMs: deps.clock(), ...keep });
    deps.logger.info(result.kind === 'recorded' ? 'event ignored' : 'duplicate delivery', { ...log, ledger: result.kind, reason: ignoreReason });
    return outcomeOfIgnore(result);
  }
  const claim = await deps.ledger.claim({ facts, nowMs: deps.clock(), ...keep });
  if (claim.kind !== 'claimed') {
    deps.logger.info('duplicate delivery', { ...log, ledger: claim.kind, status: claim.record.status });
    // In flight elsewhere: keep the message so it is retried should that worker die before finishing.
    return claim.kind === 'in-flight' ? RecordOutcome.retry : RecordOutcome.duplicate;
  }
  const attempt = { ...log, attempts: claim.record.attempts, receiveCount: record.receiveCount };
  const release = async (message: string, error: string, later = false): Promise<RecordOutcome> => {
    deps.logger.error(message, { ...attempt, error, ...(later ? { backOff: true } : {}) });
    await deps.ledger.fail({ eventId: facts.eventId, leaseToken: claim.leaseToken, error, nowMs: deps.clock() });
    return later ? RecordOutcome.retryLater : RecordOutcome.retry;
  };
  let results: HandlerResult[];
  try {
    results = parsed.kind === 'thin' ? await runThinHandlers({ ...deps, reader: requireReader(deps.stripeV2), parsed, handlers: handlers.thin ?? [] }) : await runHandlers({ deps, parsed, handlers: await handlersToRun(deps, parsed, handlers) });
    assertDistinctRecords(results.flatMap((result) => result.writes ?? []));
  } catch (cause) {
    return release('event failed', new HandlerError({ eventId: facts.eventId, eventType: facts.eventType, cause }).message, cause instanceof StripeUnavailableError);
  }
  const writes = results.flatMap((result) => result.writes ?? []);
  const outcome = Object.assign({}, ...results.map((result) => result.outcome ?? {})) as Record<string, unknown>;
  let committed: CompleteResult;
  try {
    committed = await deps.ledger.complete({ eventId: facts.eventId, leaseToken: claim.leaseToken, outcome, writes, guards: guardsFor(parsed), nowMs: deps.clock() });
  } catch (cause) {
    return release('commit failed', describeError(cause));
  }
  if (committed.kind === 'blocked') {
    deps.logger.info('event ignored', { ...attempt, reason: committed.reason });
    return RecordOutcome.ignored;
  }
  const applied = committed.kind === 'completed' ? { applied: committed.applied, stale: committed.stale } : { leaseLost: true };
  // End-to-end lag: from Stripe creating the event to its state being committed here.
  deps.logger.info('event processed', { ...attempt, ...applied, lagMs: deps.clock() - facts.created * 1000 });
  return RecordOutcome.processed;
};

/**
 * Projections are pure and always run. Custom handlers may act on the world (Stripe API calls as the account),
 * so they are skipped, with one read, for an account deauthorized at or before this event: the commit's guard
 * then records the event `ignored` instead of failing it forever.
 */
const handlersToRun = async (deps: WorkerDependencies, parsed: SnapshotDelivery, handlers: ReturnType<HandlerRegistry['find']>) => {
  const { account, type } = parsed.envelope;
  if (handlers.custom.length === 0 || account === undefined || AUTHORIZATION_EVENTS.has(type)) return [...handlers.projections, ...handlers.custom];
  const blocked = isBlockedByDeauthorization(await deps.state.authorizationOf(guardTarget(parsed, account)), eventVersion(parsed.envelope));
  return blocked ? [...handlers.projections] : [...handlers.projections, ...handlers.custom];
};

type SnapshotDelivery = Extract<Delivery, { kind: 'snapshot' }>;

const runHandlers = async (options: { deps: WorkerDependencies; parsed: SnapshotDelivery; handlers: readonly RegisteredHandler[] }): Promise<HandlerResult[]> => {
  const { deps, parsed } = options;
  let client: Stripe | undefined;
  const input: HandlerInput<Stripe.Event> = {
    event: parsed.event,
    account: parsed.envelope.account,
    idempotencyKey: parsed.envelope.id,
    logger: deps.logger,
    get stripe() {
      client ??= deps.stripeFor(parsed.envelope.account);
      return client;
    },
  };
  const results: HandlerResult[] = [];
  // One after another: a custom handler's side effects should not start when a projection already threw.
  for (const handler of options.handlers) results.push(await handler(input));
  return results;
};

const parseRecord = (record: IncomingRecord, logger: Logger): Delivery => {
  try {
    return parseDelivery(record.body);
  } catch (error) {
    if (error instanceof InvalidEventError) {
      logger.error('queue message is not a Stripe event; it will reach the DLQ after maxReceiveCount', {
        messageId: record.messageId,
        receiveCount: record.receiveCount,
        reason: error.message,
        bodyBytes: Buffer.byteLength(record.body),
      });
    }
    throw error;
  }
};
