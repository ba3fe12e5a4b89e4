import type { LedgerRecord, LedgerStatus } from './ledger-record';
import type { EventLedger, EventQueue, QueueMessageAttributes } from './ports';
import { parseEvent } from './stripe-event';

/** Which events to replay: explicit ids, or a range of event `created` times with optional filters. */
export type ReplaySelection =
  | { readonly kind: 'ids'; readonly eventIds: readonly string[] }
  | {
      readonly kind: 'range';
      /** Epoch seconds, inclusive. */
      readonly since: number;
      /** Epoch seconds, exclusive. */
      readonly until?: number;
      readonly eventType?: string;
      readonly account?: string;
      readonly status?: LedgerStatus;
    };

/** What happened to each selected event. */
export interface ReplayReport {
  readonly replayId: string;
  readonly selected: number;
  readonly enqueued: readonly string[];
  /** Events the ledger does not know, or whose payload was not kept: `reconcile` can fetch them from Stripe. */
  readonly unavailable: ReadonlyArray<{ readonly eventId: string; readonly reason: string }>;
}

/** Largest range a replay selects in one run; a wider one should be split (or use the reconciler). */
export const MAX_REPLAY_EVENTS = 10_000;

/** The ledger records a selection names, oldest event first. */
export const selectForReplay = async (options: { readonly ledger: EventLedger; readonly selection: ReplaySelection; readonly nowMs: number }) => {
  const { ledger, selection, nowMs } = options;
  if (selection.kind === 'ids') {
    const records = await Promise.all(selection.eventIds.map(async (eventId) => ({ eventId, record: await ledger.get({ eventId, nowMs }) })));
    return records;
  }
  const records = await ledger.list({
    nowMs,
    limit: MAX_REPLAY_EVENTS,
    createdSince: selection.since,
    ...(selection.until === undefined ? {} : { createdUntil: selection.until }),
    ...(selection.eventType === undefined ? {} : { eventType: selection.eventType }),
    ...(selection.account === undefined ? {} : { account: selection.account }),
    ...(selection.status === undefined ? {} : { status: selection.status }),
  });
  return [...records].sort((a, b) => a.created - b.created).map((record) => ({ eventId: record.eventId, record: record as LedgerRecord | undefined }));
};

/**
 * Puts stored payloads back on the queue, each marked with the replay's id (and `force` to rerun the handlers
 * of events already processed). Order safety still holds in the worker, so a forced old event never rolls
 * state back. `onProgress` is called after each event, for long runs.
 */
export const replayEvents = async (options: {
  readonly ledger: EventLedger;
  readonly queue: EventQueue;
  readonly selection: ReplaySelection;
  readonly replayId: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly nowMs: number;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<ReplayReport> => {
  const selected = await selectForReplay(options);
  const enqueued: string[] = [];
  const unavailable: Array<{ eventId: string; reason: string }> = [];
  for (const [index, { eventId, record }] of selected.entries()) {
    const payload = record === undefined ? undefined : await options.ledger.payloadOf({ eventId, nowMs: options.nowMs });
    if (payload === undefined) {
      unavailable.push({ eventId, reason: record === undefined ? 'not in the ledger' : 'payload not kept' });
    } else if (!options.dryRun) {
      await options.queue.send({ body: payload, attributes: replayAttributes({ payload, replayId: options.replayId, force: options.force }) });
      enqueued.push(eventId);
    } else {
      enqueued.push(eventId);
    }
    options.onProgress?.(index + 1, selected.length);
  }
  return { replayId: options.replayId, selected: selected.length, enqueued, unavailable };
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

