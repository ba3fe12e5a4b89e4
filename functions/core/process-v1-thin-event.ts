import type Stripe from 'stripe';
import { ledgerFactsOf } from './delivery';
import type { Delivery } from './delivery';
import { StripeUnavailableError, describeError } from './errors';
import { LedgerStatus } from './ledger-record';
import type { IncomingRecord, WorkerDependencies } from './process-event';
import { RecordOutcome, outcomeOfIgnore } from './record-outcome';
import { requireReader } from './thin-handler';

/** `v1.*` thin types: a v1 resource's change, whose full state is in the linked snapshot event. */
export const isV1ThinType = (type: string): boolean => type.startsWith('v1.');

/**
 * A `v1.*` thin event applies its change through its snapshot event, so the change lands once whichever arrives
 * first: the snapshot event (named by `snapshot_event`, on the notification or else the fetched event) is fetched
 * and processed as if delivered, deduped by its own id with the snapshot's webhook delivery; the thin event is then
 * recorded `ignored`, naming the snapshot. Stripe unavailable → retry with back-off, nothing recorded. The caller
 * has already refused events of a mode this deployment does not accept.
 */
export const processV1ThinEvent = async (options: {
  readonly deps: WorkerDependencies;
  readonly parsed: Extract<Delivery, { kind: 'thin' }>;
  readonly record: IncomingRecord;
  readonly processSnapshot: (record: IncomingRecord) => Promise<RecordOutcome>;
}): Promise<RecordOutcome> => {
  const { deps, parsed, record } = options;
  const { notification, envelope } = parsed;
  const log = { eventId: envelope.id, eventType: envelope.type, account: envelope.account, messageId: record.messageId };
  // Before any Stripe call: a redelivery of a thin event already applied (or recorded ignored) is a duplicate
  // without reading its snapshot again.
  const seen = await deps.ledger.get({ eventId: envelope.id, nowMs: deps.clock() });
  if (seen !== undefined && (seen.status === LedgerStatus.processed || seen.status === LedgerStatus.ignored) && record.replay?.force !== true) {
    deps.logger.info('duplicate delivery', { ...log, status: seen.status });
    return RecordOutcome.duplicate;
  }
  let snapshotId: string | undefined;
  let body: string;
  try {
    const reader = requireReader(deps.stripeV2);
    snapshotId = notification.snapshotEvent ?? snapshotOf(await reader.fetchEvent({ eventId: notification.id, context: notification.context }));
    if (snapshotId === undefined) {
      const result = await deps.ledger.ignore({ facts: ledgerFactsOf(parsed), reason: 'v1 thin event without a snapshot_event', nowMs: deps.clock(), payload: record.body });
      deps.logger.info('event ignored', { ...log, reason: 'no snapshot_event' });
      return result.kind === 'in-flight' ? RecordOutcome.retry : RecordOutcome.ignored;
    }
    body = await reader.fetchSnapshotEvent({ eventId: snapshotId, context: notification.context });
    // Only a v1 event may be processed in its place, so a mistaken answer cannot loop back here.
    if ((JSON.parse(body) as { object?: unknown }).object !== 'event') throw new Error(`the snapshot ${snapshotId} read from Stripe is not a v1 event`);
  } catch (error) {
    deps.logger.error('v1 thin event: its snapshot could not be read', { ...log, error: describeError(error), ...(error instanceof StripeUnavailableError ? { backOff: true } : {}) });
    return error instanceof StripeUnavailableError ? RecordOutcome.retryLater : RecordOutcome.retry;
  }
  const snapshot = await options.processSnapshot({ ...record, body });
  if (snapshot === RecordOutcome.retry || snapshot === RecordOutcome.retryLater) return snapshot;
  const result = await deps.ledger.ignore({ facts: ledgerFactsOf(parsed), reason: `applied through its snapshot event ${snapshotId}`, nowMs: deps.clock(), payload: record.body });
  deps.logger.info('v1 thin event applied through its snapshot event', { ...log, snapshotEvent: snapshotId, snapshot, ledger: result.kind });
  return outcomeOfIgnore(result);
};

/** The fetched event's `snapshot_event` (typed by the stripe package since 23.0.0), checked: it is Stripe's JSON. */
const snapshotOf = (event: Stripe.V2.Core.Event): string | undefined => {
  const value: unknown = event.snapshot_event;
  return typeof value === 'string' && value.startsWith('evt_') ? value : undefined;
};
