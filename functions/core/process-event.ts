import { HandlerError, InvalidEventError, describeError } from './errors';
import type { HandlerRegistry } from './handler-registry';
import type { Clock, EventLedger, LedgerEventFacts, Logger } from './ports';
import { parseEvent } from './stripe-event';
import type { ParsedEvent } from './stripe-event';

/** One queue message as the worker sees it. */
export interface IncomingRecord {
  readonly messageId: string;
  readonly body: string;
  /** How many times the queue has handed this message out, this time included. */
  readonly receiveCount: number;
}

/** How a record ended; only `retry` leaves the message on the queue. */
export const RecordOutcome = {
  processed: 'processed',
  duplicate: 'duplicate',
  ignored: 'ignored',
  retry: 'retry',
} as const;
export type RecordOutcome = (typeof RecordOutcome)[keyof typeof RecordOutcome];

/** Everything the worker use case needs. */
export interface WorkerDependencies {
  readonly ledger: EventLedger;
  readonly registry: HandlerRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

const factsOf = ({ envelope }: ParsedEvent): LedgerEventFacts => ({
  eventId: envelope.id,
  eventType: envelope.type,
  livemode: envelope.livemode,
  created: envelope.created,
  ...(envelope.account === undefined ? {} : { account: envelope.account }),
});

/**
 * The worker use case for one record: parse, dedupe through the ledger, run the type's handler at most once
 * to completion. Returns `retry` when the message must stay on the queue; throws only for a body that is not
 * an event (it then reaches the DLQ after maxReceiveCount) or a ledger that cannot be reached.
 */
export const createEventProcessor =
  (deps: WorkerDependencies) =>
  async (record: IncomingRecord): Promise<RecordOutcome> => {
    const parsed = parseRecord(record, deps.logger);
    const facts = factsOf(parsed);
    const log = { eventId: facts.eventId, eventType: facts.eventType, account: facts.account, messageId: record.messageId };
    const handler = deps.registry.find(facts.eventType);
    if (handler === undefined) {
      const result = await deps.ledger.ignore({ facts, reason: 'no handler registered for this event type', nowMs: deps.clock() });
      deps.logger.info(result.kind === 'recorded' ? 'event ignored' : 'duplicate delivery', { ...log, ledger: result.kind });
      return result.kind === 'in-flight' ? RecordOutcome.retry : result.kind === 'recorded' ? RecordOutcome.ignored : RecordOutcome.duplicate;
    }
    const claim = await deps.ledger.claim({ facts, nowMs: deps.clock() });
    if (claim.kind !== 'claimed') {
      deps.logger.info('duplicate delivery', { ...log, ledger: claim.kind, status: claim.record.status });
      // In flight elsewhere: keep the message so it is retried should that worker die before finishing.
      return claim.kind === 'in-flight' ? RecordOutcome.retry : RecordOutcome.duplicate;
    }
    try {
      const outcome = await handler({ event: parsed.event, account: facts.account, idempotencyKey: facts.eventId, logger: deps.logger });
      const kept = await deps.ledger.complete({ eventId: facts.eventId, leaseToken: claim.leaseToken, outcome, nowMs: deps.clock() });
      deps.logger.info(kept ? 'event processed' : 'event processed after its lease was taken over', { ...log, attempts: claim.record.attempts });
      return RecordOutcome.processed;
    } catch (cause) {
      const error = new HandlerError({ eventId: facts.eventId, eventType: facts.eventType, cause });
      deps.logger.error('handler failed', { ...log, attempts: claim.record.attempts, receiveCount: record.receiveCount, error: describeError(cause) });
      await deps.ledger.fail({ eventId: facts.eventId, leaseToken: claim.leaseToken, error: error.message, nowMs: deps.clock() });
      return RecordOutcome.retry;
    }
  };

const parseRecord = (record: IncomingRecord, logger: Logger): ParsedEvent => {
  try {
    return parseEvent(record.body);
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
