/** Back-off of a message kept on the queue because Stripe was unavailable. */
export interface BackoffPolicy {
  /** Delay after the first failed receive, in seconds. */
  readonly baseSeconds: number;
  /** Upper bound of the delay; SQS allows at most 12 hours of visibility timeout. */
  readonly maxSeconds: number;
}

/** 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then 8 h: with 5 receives, a Stripe outage of about 3 h is outlasted before the DLQ. */
export const DEFAULT_BACKOFF_POLICY: BackoffPolicy = { baseSeconds: 30, maxSeconds: 8 * 3600 };

/** Exponential back-off (×4 per receive), with up to 20 % jitter so a burst of deferred messages does not return at once. */
export const backoffSeconds = (options: { readonly receiveCount: number; readonly policy?: BackoffPolicy; readonly random?: () => number }): number => {
  const policy = options.policy ?? DEFAULT_BACKOFF_POLICY;
  const exponent = Math.max(0, options.receiveCount - 1);
  const base = Math.min(policy.maxSeconds, policy.baseSeconds * 4 ** Math.min(exponent, 20));
  const jitter = 1 - 0.2 * (options.random ?? Math.random)();
  return Math.max(1, Math.min(policy.maxSeconds, Math.round(base * jitter)));
};

/** Makes a received message invisible for a while, so it comes back only after the back-off. */
export interface MessageDeferral {
  defer(input: { readonly receiptHandle: string; readonly seconds: number }): Promise<void>;
}
