import type { LedgerRecord, LedgerStatus } from './ledger-record';
import type { EventLedger, EventQueue, LedgerQuery, QueueMessageAttributes } from './ports';
import { parseEvent } from './stripe-event';

/** A range of event `created` times with optional filters. */
export interface ReplayRange {
  /** Epoch seconds, inclusive. */
  readonly since: number;
  /** Epoch seconds, exclusive. */
  readonly until?: number;
  readonly eventType?: string;
  readonly account?: string;
  readonly status?: LedgerStatus;
}

/** A range as a ledger filter (`LedgerQuery` without its limit). */
export const rangeFilter = (range: ReplayRange): Omit<LedgerQuery, 'limit'> => ({
  createdSince: range.since,
  ...(range.until === undefined ? {} : { createdUntil: range.until }),
  ...(range.eventType === undefined ? {} : { eventType: range.eventType }),
  ...(range.account === undefined ? {} : { account: range.account }),
  ...(range.status === undefined ? {} : { status: range.status }),
});

/** Which events to replay: explicit ids, or a range. */
export type ReplaySelection = { readonly kind: 'ids'; readonly eventIds: readonly string[] } | ({ readonly kind: 'range' } & ReplayRange);

/** A selected record with its stored payload (undefined when none was kept). */
export interface ReplayCandidate {
  readonly record: LedgerRecord;
  readonly payload: string | undefined;
}

/**
 * The ledger records a range selects, a page at a time (with their payloads), and their exact count; a
 * range of any size is read without holding more than one page.
 */
export interface ReplayRangeReader {
  count(range: ReplayRange & { readonly nowMs: number }): Promise<number>;
  pages(range: ReplayRange & { readonly nowMs: number }): AsyncIterable<readonly ReplayCandidate[]>;
}

/** What happened to the selected events. */
export interface ReplayReport {
  readonly replayId: string;
  /** Every record the selection matched: the exact count, never capped. */
  readonly selected: number;
  readonly enqueued: number;
  /** Events the ledger does not know, or whose payload was not kept: `reconcile` can fetch them from Stripe. */
  readonly unavailable: ReadonlyArray<{ readonly eventId: string; readonly reason: string }>;
}

/** Everything a replay needs. */
export interface ReplayOptions {
  readonly ledger: EventLedger;
  /** Reads a range page by page; needed for `range` selections. */
  readonly range?: ReplayRangeReader;
  readonly queue: EventQueue;
  readonly selection: ReplaySelection;
  readonly replayId: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly nowMs: number;
  /** Called with the exact total first, then after each event: a progress bar's input. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called for each event enqueued (or, in a dry run, that would be). */
  readonly onEnqueued?: (eventId: string) => void;
}

const rangeOf = ({ kind: _kind, ...range }: Extract<ReplaySelection, { readonly kind: 'range' }>): ReplayRange => range;

const rangeReaderOf = (options: ReplayOptions): ReplayRangeReader => {
  if (options.range === undefined) throw new Error('a range replay needs a ReplayRangeReader');
  return options.range;
};

const candidatesOf = async function* (options: ReplayOptions): AsyncGenerator<ReadonlyArray<ReplayCandidate | { readonly eventId: string }>> {
  const { ledger, selection, nowMs } = options;
  if (selection.kind === 'ids') {
    yield await Promise.all(
      selection.eventIds.map(async (eventId) => {
        const record = await ledger.get({ eventId, nowMs });
        return record === undefined ? { eventId } : { record, payload: await ledger.payloadOf({ eventId, nowMs }) };
      }),
    );
    return;
  }
  yield* rangeReaderOf(options).pages({ ...rangeOf(selection), nowMs });
};

/**
 * Puts stored payloads back on the queue, each marked with the replay's id (and `force` to rerun the handlers
 * of events already processed, once per replay id). Order safety still holds in the worker, so a forced old
 * event never rolls state back. A range is counted first, then read and enqueued page by page.
 */
export const replayEvents = async (options: ReplayOptions): Promise<ReplayReport> => {
  const { selection } = options;
  const total = selection.kind === 'ids' ? selection.eventIds.length : await rangeReaderOf(options).count({ ...rangeOf(selection), nowMs: options.nowMs });
  options.onProgress?.(0, total);
  let done = 0;
  let enqueued = 0;
  const unavailable: Array<{ eventId: string; reason: string }> = [];
  for await (const page of candidatesOf(options)) {
    for (const candidate of page) {
      done += 1;
      if (!('record' in candidate)) unavailable.push({ eventId: candidate.eventId, reason: 'not in the ledger' });
      else if (candidate.payload === undefined) unavailable.push({ eventId: candidate.record.eventId, reason: 'payload not kept' });
      else {
        if (!options.dryRun) await options.queue.send({ body: candidate.payload, attributes: replayAttributes({ payload: candidate.payload, replayId: options.replayId, force: options.force }) });
        enqueued += 1;
        options.onEnqueued?.(candidate.record.eventId);
      }
      options.onProgress?.(done, Math.max(total, done));
    }
  }
  return { replayId: options.replayId, selected: done, enqueued, unavailable };
};

const replayAttributes = (options: { readonly payload: string; readonly replayId: string; readonly force: boolean }): QueueMessageAttributes => {
  const { envelope } = parseEvent(options.payload);
  return {
    eventId: envelope.id,
    eventType: envelope.type,
    livemode: envelope.livemode,
    route: 'replay',
    replayId: options.replayId,
    replayForce: options.force,
    ...(envelope.account === undefined ? {} : { account: envelope.account }),
  };
};

/** A replay id: sortable by time, unique enough to find one run in logs and the ledger. */
export const newReplayId = (nowMs: number, random: () => number = Math.random): string =>
  `rpl_${new Date(nowMs).toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}_${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
