import * as http from 'node:http';
import * as https from 'node:https';
import { ConnectWebhooksError } from '../core/errors';
import { envCredentials, endpointFor, regionFromEnv } from './aws-service-settings';
import type { AwsCredentialProvider, AwsJsonService } from './aws-service-settings';
import { signRequest } from './aws-signature-v4';

/**
 * A failed AWS call, as the SDK reports one: `name` is the service's error type (`ConditionalCheckFailedException`,
 * `ResourceNotFoundException`, …) or the network error's code, and `body` keeps the error document, which carries
 * fields such as DynamoDB's `Item` or `CancellationReasons`. Adapters translate it into the project's errors.
 */
export class AwsServiceError extends ConnectWebhooksError {
  readonly errorType: string;
  readonly statusCode?: number;
  readonly retryable: boolean;
  readonly body: Readonly<Record<string, unknown>>;

  constructor(options: {
    readonly service: string;
    readonly operation: string;
    readonly errorType: string;
    readonly detail: string;
    readonly retryable: boolean;
    readonly attempts: number;
    readonly statusCode?: number;
    readonly requestId?: string;
    readonly body?: Record<string, unknown>;
    readonly cause?: unknown;
  }) {
    const { service, operation, errorType, statusCode, requestId, attempts } = options;
    super({
      message: `${service} ${operation} failed: ${errorType}${options.detail === '' ? '' : `: ${options.detail}`}`,
      code: 'aws.request_failed',
      context: { service, operation, awsError: errorType, statusCode, requestId, attempts },
      cause: options.cause,
    });
    this.name = errorType;
    this.errorType = errorType;
    this.retryable = options.retryable;
    this.body = options.body ?? {};
    if (statusCode !== undefined) this.statusCode = statusCode;
  }
}

/** Calls one AWS service over its JSON protocol; the output is the service's JSON document. */
export interface AwsJsonClient {
  call<Output = Record<string, unknown>>(operation: string, input: object): Promise<Output>;
}

/** Settings of an `AwsJsonClient`; everything but the service comes from the standard AWS environment by default. */
export interface AwsJsonClientOptions {
  readonly service: AwsJsonService;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default AWS_REGION, then AWS_DEFAULT_REGION */
  readonly region?: string;
  /** @default the environment's credentials (what Lambda provides) */
  readonly credentials?: AwsCredentialProvider;
  /** Attempts per call, the first included, as the SDK's `maxAttempts`. @default 3 */
  readonly maxAttempts?: number;
  /** Longest silence on the socket before an attempt is abandoned (and retried). @default 10_000 */
  readonly attemptTimeoutMs?: number;
  /** Base of the exponential backoff; throttling waits five times longer, as in the SDK. @default 100 */
  readonly retryBaseMs?: number;
}

// The SDK's standard retry rules: throttling, transient statuses and network failures are retried.
const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException', 'ProvisionedThroughputExceededException',
  'TransactionInProgressException', 'RequestLimitExceeded', 'BandwidthLimitExceeded', 'LimitExceededException', 'RequestThrottled', 'SlowDown', 'PriorRequestNotComplete',
]);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'InternalFailure', 'ServiceUnavailable']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const MAX_BACKOFF_MS = 20_000;

interface HttpReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** The endpoint a client calls and how: `https` with its agent on AWS, plain `http` for a local emulator. */
interface Target {
  readonly url: URL;
  readonly region: string;
  readonly transport: typeof http | typeof https;
  readonly agent: http.Agent;
}

const post = (options: { readonly target: Target; readonly headers: Record<string, string>; readonly body: string; readonly timeoutMs: number }): Promise<HttpReply> =>
  new Promise((resolve, reject) => {
    const { url, transport, agent } = options.target;
    const request = transport.request(url, { method: 'POST', headers: options.headers, agent, timeout: options.timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no response within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(options.body);
  });

const parseJson = (text: string): Record<string, unknown> => {
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
};

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` or `X:http://…` → the bare type. */
const bareType = (raw: string): string => raw.split(':')[0]?.split('#').pop() ?? raw;

const serviceFailure = (reply: HttpReply): { errorType: string; detail: string; body: Record<string, unknown>; retryable: boolean; requestId?: string } => {
  let body: Record<string, unknown> = {};
  try {
    body = parseJson(reply.body);
  } catch {
    body = { unparsed: reply.body.slice(0, 200) };
  }
  const header = reply.headers['x-amzn-errortype'];
  const rawType = typeof body.__type === 'string' ? body.__type : typeof header === 'string' ? header : `Http${reply.status}`;
  const errorType = bareType(rawType);
  const message = body.message ?? body.Message;
  const requestId = reply.headers['x-amzn-requestid'];
  const retryable = THROTTLING.has(errorType) || TRANSIENT.has(errorType) || reply.status === 429 || [500, 502, 503, 504].includes(reply.status);
  return { errorType, detail: typeof message === 'string' ? message : '', body, retryable, ...(typeof requestId === 'string' ? { requestId } : {}) };
};

const backoffMs = (options: { readonly attempt: number; readonly baseMs: number; readonly throttled: boolean }): number =>
  // Full jitter, as the SDK: a random wait up to the exponential ceiling spreads retries of many callers.
  Math.random() * Math.min(MAX_BACKOFF_MS, (options.throttled ? options.baseMs * 5 : options.baseMs) * 2 ** (options.attempt - 1));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A small AWS client: SigV4-signed JSON-protocol calls over a keep-alive agent, with the SDK's standard retries.
 * It stands in for the AWS SDK's clients inside the Lambdas, whose module initialisation cost each function
 * several times an empty Node.js process at cold start (see the README's Figures). It honours the standard
 * settings (`AWS_REGION`, `AWS_ENDPOINT_URL[_<SERVICE>]`, the credential variables), so the same code reaches AWS
 * or a local emulator.
 */
export const createAwsJsonClient = (options: AwsJsonClientOptions): AwsJsonClient => {
  const { service } = options;
  const env = options.env ?? process.env;
  const credentials = options.credentials ?? envCredentials(env);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const timeoutMs = options.attemptTimeoutMs ?? 10_000;
  const retryBaseMs = options.retryBaseMs ?? 100;
  let target: Target | undefined;
  // Resolved on the first call, so a missing setting fails that call with a clear error, not the cold start.
  const resolveTarget = () => {
    if (target !== undefined) return target;
    const region = options.region ?? regionFromEnv(env);
    const url = endpointFor({ service, region, env });
    const transport = url.protocol === 'https:' ? https : http;
    target = { url, region, transport, agent: new transport.Agent({ keepAlive: true, maxSockets: 50 }) };
    return target;
  };
  const attemptOnce = async (operation: string, body: string, attempt: number): Promise<unknown> => {
    const resolved = resolveTarget();
    const { url, region } = resolved;
    const unsigned = { 'content-type': `application/x-amz-json-${service.jsonVersion}`, 'x-amz-target': `${service.targetPrefix}.${operation}` };
    const headers = signRequest({ request: { method: 'POST', url, headers: unsigned, body }, credentials: await credentials(), region, service: service.signingName, nowMs: Date.now() });
    let reply: HttpReply;
    try {
      reply = await post({ target: resolved, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body, timeoutMs });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'NetworkError';
      throw new AwsServiceError({ service: service.signingName, operation, errorType: code, detail: (cause as Error).message ?? '', retryable: NETWORK.has(code), attempts: attempt, cause });
    }
    if (reply.status >= 200 && reply.status < 300) {
      try {
        return parseJson(reply.body);
      } catch (cause) {
        throw new AwsServiceError({ service: service.signingName, operation, errorType: 'InvalidResponse', detail: 'the answer is not JSON', retryable: false, attempts: attempt, statusCode: reply.status, cause });
      }
    }
    throw new AwsServiceError({ service: service.signingName, operation, attempts: attempt, statusCode: reply.status, ...serviceFailure(reply) });
  };
  return {
    async call<Output>(operation: string, input: object): Promise<Output> {
      const body = JSON.stringify(input);
      for (let attempt = 1; ; attempt += 1) {
        try {
          return (await attemptOnce(operation, body, attempt)) as Output;
        } catch (error) {
          if (!(error instanceof AwsServiceError) || !error.retryable || attempt >= maxAttempts) throw error;
          await sleep(backoffMs({ attempt, baseMs: retryBaseMs, throttled: THROTTLING.has(error.errorType) || error.statusCode === 429 }));
        }
      }
    },
  };
};
