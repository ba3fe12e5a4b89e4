import type Stripe from 'stripe';
import { QueueError } from '../../functions/core/errors';
import type { EventLedger, EventQueue, Logger, QueueMessageAttributes } from '../../functions/core/ports';
import { rangeFilter } from '../../functions/core/replay';
import type { ReplayRange, ReplayRangeReader } from '../../functions/core/replay';

export { DEAUTHORIZED_REASON, createInMemoryEventLedger } from './in-memory-event-ledger';
export type { InMemoryEventLedger, StoredLedgerRecord } from './in-memory-event-ledger';
export { createInMemoryStateStore } from './in-memory-state-store';
export type { InMemoryStateStore, StateItem } from './in-memory-state-store';

/** One message the fake queue accepted. */
export interface SentMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: QueueMessageAttributes;
}

/** An in-memory `EventQueue` that records what it accepted and can be told to fail. */
export interface FakeEventQueue extends EventQueue {
  readonly sent: readonly SentMessage[];
  /** While true, `send` rejects with a `QueueError`, as the SQS adapter does when SQS is unreachable. */
  failing: boolean;
}

export const createFakeEventQueue = (options: { readonly maxMessageBytes?: number; readonly failing?: boolean } = {}): FakeEventQueue => {
  const sent: SentMessage[] = [];
  const queue: FakeEventQueue = {
    maxMessageBytes: options.maxMessageBytes ?? 1_048_576,
    sent,
    failing: options.failing ?? false,
    async send({ body, attributes }) {
      if (queue.failing) {
        throw new QueueError({ detail: 'fake queue is unavailable', context: { eventId: attributes.eventId } });
      }
      const messageId = `msg-${sent.length + 1}`;
      sent.push({ messageId, body, attributes: { ...attributes } });
      return { messageId };
    },
  };
  return queue;
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line the recording logger received. */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** A `Logger` that keeps every line, for assertions on what was (and was not) logged. */
export interface RecordingLogger extends Logger {
  readonly lines: readonly LogLine[];
  linesAt(level: LogLevel): readonly LogLine[];
  /** Every line serialised, to search for text that must never be logged. */
  text(): string;
}

export const createRecordingLogger = (): RecordingLogger => {
  const lines: LogLine[] = [];
  const record = (level: LogLevel) => (message: string, attributes?: Record<string, unknown>) => {
    lines.push({ level, message, attributes: attributes ?? {} });
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    linesAt: (level) => lines.filter((line) => line.level === level),
    text: () => JSON.stringify(lines),
  };
};

/** A clock the test moves by hand; pass `clock.now` wherever a `Clock` is expected. */
export interface FakeClock {
  readonly now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export const createFakeClock = (startMs: number = Date.now()): FakeClock => {
  let current = startMs;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
};

/** A stand-in for a Stripe client: it only says which account it acts as. */
export interface FakeStripeClient {
  readonly actingAs: string | undefined;
}

/** A `stripeFor` that records every call and hands out fake clients (typed as `Stripe`; calling the API would fail). */
export interface FakeStripeFactory {
  readonly stripeFor: (account: string | undefined) => Stripe;
  /** The `account` argument of every call, in order. */
  readonly calls: ReadonlyArray<string | undefined>;
}

export const createFakeStripeFactory = (): FakeStripeFactory => {
  const calls: Array<string | undefined> = [];
  return {
    calls,
    stripeFor: (account) => {
      calls.push(account);
      const client: FakeStripeClient = { actingAs: account };
      return client as unknown as Stripe;
    },
  };
};

/**
 * A replay range over an in-memory ledger, `pageSize` records a page, like `dynamodb-ledger-range.ts` (which pages
 * in scan order): it counts the pages it served, so a test can see a range read across several.
 */
export const createInMemoryRangeReader = (ledger: EventLedger, pageSize = 2): ReplayRangeReader & { readonly pagesServed: number } => {
  let pagesServed = 0;
  const select = (range: ReplayRange & { readonly nowMs: number }) =>
    ledger.list({ ...rangeFilter(range), nowMs: range.nowMs, limit: Number.MAX_SAFE_INTEGER });
  return {
    get pagesServed() {
      return pagesServed;
    },
    count: async (range) => (await select(range)).length,
    async *pages(range) {
      const records = [...(await select(range))].sort((a, b) => a.created - b.created);
      for (let start = 0; start < records.length; start += pageSize) {
        pagesServed += 1;
        yield await Promise.all(records.slice(start, start + pageSize).map(async (record) => ({ record, payload: await ledger.payloadOf({ eventId: record.eventId, nowMs: range.nowMs }) })));
      }
    },
  };
};
