import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConnectWebhooksError, InvalidEventError, MethodNotAllowedError, PayloadTooLargeError, QueueError, RouteNotFoundError, SignatureVerificationError, describeError } from '../core/errors';
import type { WebhookRequest } from '../core/ingest-webhook';

/** Turns an HTTP API (payload v2) event into the ingest's request: exact body bytes, lower-cased headers. */
export const toWebhookRequest = (event: APIGatewayProxyEventV2): WebhookRequest => {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = event.body ?? '';
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    headers,
    rawBody: event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
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
