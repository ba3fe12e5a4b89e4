/** One pre-built webhook delivery: a signed body and its `Stripe-Signature` header. */
export interface SignedDelivery {
  readonly id: string;
  readonly body: string;
  readonly header: string;
}

/** What a load run did, request by request, and autocannon's own summary. */
export interface LoadRun {
  /** Event ids whose request was built and written, in order. */
  readonly sent: readonly string[];
  /** Status of every answered request, by event id. */
  readonly answered: ReadonlyMap<string, number>;
  /** Ids written but never answered: in flight when the run ended, or timed out. Their outcome is unknown. */
  readonly unanswered: readonly string[];
  /** 200 answers whose body named another event than the one sent on that connection (should be none). */
  readonly mismatched: number;
  /** True when the run needed more deliveries than were prepared (it would have sent one twice). */
  readonly exhausted: boolean;
  readonly summary: {
    readonly durationSeconds: number;
    readonly requests: number;
    readonly ok2xx: number;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly latencyP50Ms: number;
    readonly latencyP99Ms: number;
    readonly requestsPerSecond: number;
  };
}

/** The slice of autocannon's API this helper uses (the package ships no types). */
interface AutocannonResult {
  readonly duration: number;
  readonly requests: { readonly total: number; readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonContext {
  id?: string;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult> & { stop(): void };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

/**
 * Posts the prepared deliveries with autocannon: `connections` keep-alive connections for a fixed time (capped
 * at `overallRate` requests/s when given), each request the next delivery, so no event is sent twice. Records
 * which event each answer belongs to (the connection's last request; one request in flight per connection).
 */
export const runLoad = async (options: {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly overallRate?: number;
  readonly deliveries: readonly SignedDelivery[];
  /** Per-request timeout, seconds. @default 10 */
  readonly timeoutSeconds?: number;
}): Promise<LoadRun> => {
  const sent: string[] = [];
  const answered = new Map<string, number>();
  let next = 0;
  let exhausted = false;
  let mismatched = 0;
  const run = autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds ?? 10,
    // Never more requests than prepared deliveries: the run ends early rather than repeat one.
    maxOverallRequests: options.deliveries.length,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    requests: [
      {
        method: 'POST',
        setupRequest: (request: AutocannonRequest, context: AutocannonContext): AutocannonRequest => {
          const delivery = options.deliveries[next];
          if (delivery === undefined) {
            exhausted = true;
            // Resend nothing new: an empty body is refused by the ingest and records nothing.
            context.id = undefined;
            return { ...request, body: '', headers: { 'content-type': 'application/json' } };
          }
          next += 1;
          sent.push(delivery.id);
          context.id = delivery.id;
          return { ...request, body: delivery.body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': delivery.header } };
        },
        onResponse: (status: number, body: string, context: AutocannonContext) => {
          if (context.id === undefined) return;
          answered.set(context.id, status);
          if (status === 200 && !body.includes(`"id":"${context.id}"`)) mismatched += 1;
        },
      },
    ],
  });
  const result = await run;
  return {
    sent,
    answered,
    unanswered: sent.filter((id) => !answered.has(id)),
    mismatched,
    exhausted,
    summary: {
      durationSeconds: result.duration,
      requests: result.requests.total,
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      requestsPerSecond: result.requests.average,
    },
  };
};
