import type { IgnoreResult } from './ports';

/** How a record ended; only `retry` and `retryLater` leave the message on the queue. */
export const RecordOutcome = {
  processed: 'processed',
  duplicate: 'duplicate',
  ignored: 'ignored',
  retry: 'retry',
  /** Retry, but not before a back-off: Stripe was rate limiting or unavailable (the message's visibility is extended). */
  retryLater: 'retry_later',
} as const;
export type RecordOutcome = (typeof RecordOutcome)[keyof typeof RecordOutcome];

/** The outcome of recording an event `ignored`: recorded now, already finished (a duplicate), or in flight elsewhere (retry). */
export const outcomeOfIgnore = (result: IgnoreResult): RecordOutcome =>
  result.kind === 'in-flight' ? RecordOutcome.retry : result.kind === 'recorded' ? RecordOutcome.ignored : RecordOutcome.duplicate;
