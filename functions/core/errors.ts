/**
 * Error hierarchy shared by every layer. Each error carries a machine-readable `code`, structured `context`
 * for the log line and, where it wraps another failure, the original `cause`. Callers outside the process
 * never see these details: only the ingest handler maps them to HTTP statuses with generic bodies.
 */
export class ConnectWebhooksError extends Error {
  /** Stable identifier used in logs and metrics. */
  readonly code: string;
  /** Non-sensitive facts about the failure, safe to log. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(options: {
    readonly message: string;
    readonly code: string;
    readonly context?: Record<string, unknown>;
    readonly cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.context = options.context ?? {};
  }
}

/** Reasons a `Stripe-Signature` check fails; logged, never returned. */
export const SignatureFailureReason = {
  missingHeader: 'missing_header',
  malformedHeader: 'malformed_header',
  noMatchingSignature: 'no_matching_signature',
  timestampOutsideTolerance: 'timestamp_outside_tolerance',
  emptyPayload: 'empty_payload',
} as const;
export type SignatureFailureReason = (typeof SignatureFailureReason)[keyof typeof SignatureFailureReason];

/** The request's signature does not prove it came from Stripe with one of the endpoint's secrets. */
export class SignatureVerificationError extends ConnectWebhooksError {
  readonly reason: SignatureFailureReason;

  constructor(options: { readonly reason: SignatureFailureReason; readonly detail: string; readonly cause?: unknown }) {
    super({
      message: `Signature verification failed: ${options.detail}`,
      code: `signature.${options.reason}`,
      context: { reason: options.reason },
      cause: options.cause,
    });
    this.reason = options.reason;
  }
}

/** A verified body that is not a usable Stripe event (not JSON, wrong shape, wrong route). */
export class InvalidEventError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown>; readonly cause?: unknown }) {
    super({ message: `Invalid event: ${options.detail}`, code: 'event.invalid', ...options });
  }
}

/** The body exceeds what one queue message can carry. */
export class PayloadTooLargeError extends ConnectWebhooksError {
  constructor(options: { readonly sizeBytes: number; readonly limitBytes: number }) {
    super({ message: 'Payload larger than the queue accepts', code: 'request.too_large', context: { ...options } });
  }
}

/** No webhook route at this path. */
export class RouteNotFoundError extends ConnectWebhooksError {
  constructor(options: { readonly path: string }) {
    super({ message: 'No such route', code: 'request.not_found', context: { path: options.path.slice(0, 200) } });
  }
}

/** A webhook route called with a method other than POST. */
export class MethodNotAllowedError extends ConnectWebhooksError {
  readonly allowed: readonly string[];

  constructor(options: { readonly method: string; readonly allowed: readonly string[] }) {
    super({ message: 'Method not allowed', code: 'request.method_not_allowed', context: { method: options.method.slice(0, 20) } });
    this.allowed = options.allowed;
  }
}

/** The queue did not accept the event: the caller must answer 5xx so Stripe retries. */
export class QueueError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown>; readonly cause?: unknown }) {
    super({ message: `Queue error: ${options.detail}`, code: 'queue.unavailable', ...options });
  }
}

/** The event ledger could not be read or written. */
export class LedgerError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown>; readonly cause?: unknown }) {
    super({ message: `Ledger error: ${options.detail}`, code: 'ledger.unavailable', ...options });
  }
}

/** An event handler threw; the event is recorded `failed` and retried on its next delivery. */
export class HandlerError extends ConnectWebhooksError {
  constructor(options: { readonly eventId: string; readonly eventType: string; readonly cause: unknown }) {
    super({
      message: `Handler for ${options.eventType} failed: ${describeError(options.cause)}`,
      code: 'handler.failed',
      context: { eventId: options.eventId, eventType: options.eventType },
      cause: options.cause,
    });
  }
}

/** Settings missing or malformed at start-up. */
export class ConfigurationError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown> }) {
    super({ message: `Configuration error: ${options.detail}`, code: 'config.invalid', ...options });
  }
}

/** A short, single-line description of any thrown value, for logs and the ledger's `lastError`. */
export const describeError = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 500);
};

/**
 * Stripe's API was rate limiting (429), failing (5xx) or unreachable. Not the event's fault: the worker keeps
 * the message and retries it with back-off instead of failing it towards the DLQ at the queue's pace.
 */
export class StripeUnavailableError extends ConnectWebhooksError {
  constructor(options: { readonly detail: string; readonly context?: Record<string, unknown>; readonly cause?: unknown }) {
    super({ message: `Stripe unavailable: ${options.detail}`, code: 'stripe.unavailable', ...options });
  }
}
