import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type Stripe from 'stripe';
import { connectProjections } from '../../functions/core/handlers';
import { createHandlerRegistry } from '../../functions/core/handler-registry';
import type { HandlerInput, HandlerMap } from '../../functions/core/handler-registry';
import { AcceptedModes } from '../../functions/core/livemode-policy';
import { createEventProcessor } from '../../functions/core/process-event';
import type { IncomingRecord, WorkerDependencies } from '../../functions/core/process-event';
import { createFakeClock, createFakeStripeFactory, createInMemoryEventLedger, createRecordingLogger } from './fakes';
import type { FakeClock, FakeStripeFactory, InMemoryEventLedger, InMemoryStateStore, RecordingLogger } from './fakes';

/** What a counting handler saw on one call. */
export interface HandlerCall {
  readonly eventId: string;
  readonly account: string | undefined;
  readonly idempotencyKey: string;
}

/**
 * Counting custom handlers for two types: `account.updated` succeeds (or throws while `failuresLeft` > 0) and
 * `payout.failed` always throws. Every call is recorded. They never touch `stripe`.
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
  /** The Connect state table the ledger commits into (also `deps.state`). */
  readonly state: InMemoryStateStore;
  readonly stripe: FakeStripeFactory;
  readonly logger: RecordingLogger;
  readonly clock: FakeClock;
}

/** The counting custom handlers, bound to `handlers`. */
export const countingHandlers = (handlers: CountingHandlers): HandlerMap => {
  const record = (input: HandlerInput<Stripe.Event>): void => {
    handlers.calls.push({ eventId: input.event.id, account: input.account, idempotencyKey: input.idempotencyKey });
  };
  return {
    'account.updated': async (input) => {
      record(input);
      if (handlers.failuresLeft > 0) {
        handlers.failuresLeft -= 1;
        throw new Error('downstream unavailable');
      }
      return { outcome: { account: input.event.data.object.id, chargesEnabled: input.event.data.object.charges_enabled, run: handlers.calls.length } };
    },
    'payout.failed': async (input) => {
      record(input);
      throw new Error('payout handler always fails');
    },
  };
};

/**
 * The real event processor over the in-memory ledger and state table, a fake clock, a recording logger and a
 * fake Stripe client factory. By default the registry holds the built-in projections and the counting custom
 * handlers, and both modes are accepted.
 */
export const createWorkerHarness = (
  options: {
    readonly nowMs?: number;
    readonly acceptedModes?: AcceptedModes;
    /** @default connectProjections */
    readonly projections?: HandlerMap;
    /** @default the counting handlers */
    readonly custom?: HandlerMap;
  } = {},
): WorkerHarness => {
  const handlers: CountingHandlers = { calls: [], failuresLeft: 0 };
  const registry = createHandlerRegistry({ projections: options.projections ?? connectProjections, custom: options.custom ?? countingHandlers(handlers) });
  const ledger = createInMemoryEventLedger();
  const stripe = createFakeStripeFactory();
  const logger = createRecordingLogger();
  const clock = createFakeClock(options.nowMs ?? Date.UTC(2026, 7, 20, 15, 12, 7));
  const deps: WorkerDependencies = {
    ledger,
    registry,
    clock: clock.now,
    logger,
    acceptedModes: options.acceptedModes ?? AcceptedModes.both,
    state: ledger.state,
    stripeFor: stripe.stripeFor,
  };
  return { deps, process: createEventProcessor(deps), handlers, ledger, state: ledger.state, stripe, logger, clock };
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

/** Hands `event` to the harness's processor as one queue message, the way Stripe serialises it. */
export const deliver = (harness: WorkerHarness, event: Readonly<Record<string, unknown>>, options: { readonly receiveCount?: number } = {}) =>
  harness.process(incomingRecord(JSON.stringify(event, null, 2), options));
