import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConnectWebhooksError, InvalidEventError, MethodNotAllowedError, PayloadTooLargeError, QueueError, RouteNotFoundError, SignatureVerificationError, describeError } from '../core/errors';
import type { WebhookRequest } from '../core/ingest-webhook';

/** `String#isWellFormed`: ES2024, present in every Node the project supports, not declared by the ES2022 lib. */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * The body as the UTF-8 text Stripe signed, and its size in bytes as received. A base64 body is decoded as
 * UTF-8; a text body is used as is, since encoding it to UTF-8 and back would give the same text, unless it
 * holds a lone surrogate, which that round trip turns into U+FFFD.
 */
export const decodeBody = (event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): { readonly text: string; readonly bytes: number } => {
  const body = event.body ?? '';
  if (event.isBase64Encoded) {
    const bytes = Buffer.from(body, 'base64');
    return { text: bytes.toString('utf8'), bytes: bytes.length };
  }
  const text = isWellFormed(body) ? body : Buffer.from(body, 'utf8').toString('utf8');
  return { text, bytes: Buffer.byteLength(text) };
};

/** Turns an HTTP API (payload v2) event into the ingest's request: the signed body text, lower-cased headers. */
export const toWebhookRequest = (event: APIGatewayProxyEventV2): WebhookRequest => {
  const headers: Record<string, string | undefined> = {};
  const received = event.headers ?? {};
  for (const name of Object.keys(received)) headers[name.toLowerCase()] = received[name];
  const { text, bytes } = decodeBody(event);
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    headers,
    rawBody: text,
    receivedBytes: bytes,
  };
};

/** A JSON response. */
export const jsonResponse = (statusCode: number, body: Record<string, unknown>, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** How a refusal is answered and logged: callers get a generic message, the log gets the precise reason. */
export interface ErrorMapping {
  readonly response: APIGatewayProxyStructuredResultV2;
  readonly level: 'warn' | 'error';
  readonly log: Record<string, unknown>;
}

/** The only place errors become HTTP statuses. 5xx tells Stripe to retry; 4xx tells it the request is bad. */
export const mapError = (error: unknown): ErrorMapping => {
  const log = error instanceof ConnectWebhooksError ? { code: error.code, ...error.context, detail: describeError(error) } : { code: 'internal', detail: describeError(error) };
  const refuse = (statusCode: number, message: string, headers?: Record<string, string>): ErrorMapping => ({
    response: jsonResponse(statusCode, { error: message }, headers),
    level: statusCode >= 500 ? 'error' : 'warn',
    log,
  });
  if (error instanceof SignatureVerificationError || error instanceof InvalidEventError) return refuse(400, 'Invalid webhook request');
  if (error instanceof PayloadTooLargeError) return refuse(413, 'Payload too large');
  if (error instanceof RouteNotFoundError) return refuse(404, 'Not found');
  if (error instanceof MethodNotAllowedError) return refuse(405, 'Method not allowed', { allow: error.allowed.join(', ') });
  if (error instanceof QueueError) return refuse(503, 'Temporarily unavailable, retry later');
  return refuse(500, 'Internal error');
};
