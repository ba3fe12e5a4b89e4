import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import type { HandlerInput } from '../../functions/core/handler-registry';
import { createEventProcessor } from '../../functions/core/process-event';
import type { IncomingRecord, WorkerDependencies } from '../../functions/core/process-event';
import type Stripe from 'stripe';
import { createFakeClock, createInMemoryEventLedger, createRecordingLogger } from './fakes';
import type { FakeClock, InMemoryEventLedger, RecordingLogger } from './fakes';

/** What a counting handler saw on one call. */
export interface HandlerCall {
  readonly eventId: string;
  readonly account: string | undefined;
  readonly idempotencyKey: string;
}

/**
 * Counting handlers for two types: `account.updated` succeeds (or throws while `failuresLeft` > 0) and
 * `payout.failed` always throws. Every call is recorded.
 */
export interface CountingHandlers {
  readonly calls: HandlerCall[];
  /** How many of the next `account.updated` calls throw. */
  failuresLeft: number;
}

export interface WorkerHarness {
  readonly deps: WorkerDependencies;
  readonly process: (record: IncomingRecord) => ReturnType<ReturnType<typeof createEventProcessor>>;
  readonly handlers: CountingHandlers;
  readonly ledger: InMemoryEventLedger;
  readonly logger: RecordingLogger;
  readonly clock: FakeClock;
}

export const createWorkerHarness = (options: { readonly nowMs?: number } = {}): WorkerHarness => {
  const handlers: CountingHandlers = { calls: [], failuresLeft: 0 };
  const record = (input: HandlerInput<Stripe.Event>): void => {
    handlers.calls.push({ eventId: input.event.id, account: input.account, idempotencyKey: input.idempotencyKey });
  };
  const registry = createHandlerRegistry({
    'account.updated': async (input) => {
      record(input);
      if (handlers.failuresLeft > 0) {
        handlers.failuresLeft -= 1;
        throw new Error('downstream unavailable');
      }
      return { account: input.event.data.object.id, chargesEnabled: input.event.data.object.charges_enabled, run: handlers.calls.length };
    },
    'payout.failed': async (input) => {
      record(input);
      throw new Error('payout handler always fails');
    },
  });
  const ledger = createInMemoryEventLedger();
  const logger = createRecordingLogger();
  const clock = createFakeClock(options.nowMs ?? Date.UTC(2026, 7, 20, 15, 12, 7));
  const deps: WorkerDependencies = { ledger, registry, clock: clock.now, logger };
  return { deps, process: createEventProcessor(deps), handlers, ledger, logger, clock };
};

/** A queue message holding `body`. */
export const incomingRecord = (body: string, options: { readonly messageId?: string; readonly receiveCount?: number } = {}): IncomingRecord => ({
  messageId: options.messageId ?? `msg-${Math.random().toString(36).slice(2, 10)}`,
  body,
  receiveCount: options.receiveCount ?? 1,
});

/** An SQS record as Lambda's event source mapping delivers it. */
export const sqsRecord = (options: { readonly messageId: string; readonly body: string; readonly receiveCount?: number }): SQSRecord => ({
  messageId: options.messageId,
  receiptHandle: `receipt-${options.messageId}`,
  body: options.body,
  attributes: {
    ApproximateReceiveCount: String(options.receiveCount ?? 1),
    SentTimestamp: '1787238730000',
    SenderId: 'AROAEXAMPLE:ingest',
    ApproximateFirstReceiveTimestamp: '1787238730100',
  },
  messageAttributes: {},
  md5OfBody: '0'.repeat(32),
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:connect-webhooks-events',
  awsRegion: 'eu-west-1',
});

/** A batch of SQS records. */
export const sqsEvent = (records: readonly SQSRecord[]): SQSEvent => ({ Records: [...records] });
