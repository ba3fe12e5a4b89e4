import { ConfigurationError, MethodNotAllowedError, PayloadTooLargeError, RouteNotFoundError, SignatureFailureReason, SignatureVerificationError } from './errors';
import type { Clock, EventQueue, QueueMessageAttributes, SignatureVerifier, WebhookSecrets } from './ports';
import { WebhookRoute, assertRouteAccepts, parseEvent } from './stripe-event';
import type { EventEnvelope } from './stripe-event';
import { parseThinEvent } from './thin-event';

/** An HTTP request as the ingest sees it: lower-cased header names and the body as the text Stripe signed. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body decoded as UTF-8, as stripe-node decodes a Buffer: the text the signature covers and the queue carries. */
  readonly rawBody: string;
  /** The body's size in bytes as received, before decoding: what the request log reports. */
  readonly receivedBytes: number;
}

/** What the ingest accepted. */
export interface IngestResult {
  readonly route: WebhookRoute;
  readonly envelope: EventEnvelope;
  readonly messageId: string;
}

const ROUTES: Readonly<Record<string, WebhookRoute>> = {
  '/webhooks/account': WebhookRoute.account,
  '/webhooks/connect': WebhookRoute.connect,
  '/webhooks/thin': WebhookRoute.thin,
};

/** Maps a method and path to a webhook route; throws `RouteNotFoundError` or `MethodNotAllowedError`. */
export const resolveRoute = (options: { readonly method: string; readonly path: string }): WebhookRoute => {
  // A trailing slash is a common copy-paste slip in the Dashboard; it names the same endpoint.
  const path = options.path.length > 1 ? options.path.replace(/\/+$/, '') : options.path;
  const route = ROUTES[path];
  if (route === undefined) throw new RouteNotFoundError({ path: options.path });
  if (options.method.toUpperCase() !== 'POST') throw new MethodNotAllowedError({ method: options.method, allowed: ['POST'] });
  return route;
};

/** Bytes SQS counts for a message: the body's UTF-8 bytes plus each attribute's name, type and value. */
export const messageSizeBytes = (options: { readonly bodyBytes: number; readonly attributes: QueueMessageAttributes }): number => {
  const { attributes } = options;
  let bytes = options.bodyBytes;
  for (const name of Object.keys(attributes) as Array<keyof QueueMessageAttributes>) {
    bytes += Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(String(attributes[name]));
  }
  return bytes;
};

/** Everything the ingest use case needs, injected by the Lambda handler or the local server. */
export interface IngestDependencies {
  readonly queue: EventQueue;
  readonly secrets: WebhookSecrets;
  readonly verifier: SignatureVerifier;
  readonly clock: Clock;
}

/**
 * The ingest use case: route → size check → signature (with a secret reload when nothing matched, so a
 * rotation needs no redeploy) → event shape → one queue message holding the exact raw payload. Resolves only
 * once the queue accepted the message; every refusal is a typed error.
 */
export const createWebhookIngest =
  (deps: IngestDependencies) =>
  async (request: WebhookRequest): Promise<IngestResult> => {
    const route = resolveRoute(request);
    const { rawBody } = request;
    const maxBytes = deps.queue.maxMessageBytes;
    const bodyBytes = Buffer.byteLength(rawBody);
    if (bodyBytes > maxBytes) throw new PayloadTooLargeError({ sizeBytes: bodyBytes, limitBytes: maxBytes });
    await verifyWithRotation({ deps, route, rawBody, header: request.headers['stripe-signature'] });
    // The thin route takes only thin notifications, the other two only snapshot events: each parser refuses the other kind.
    const { envelope } = route === WebhookRoute.thin ? parseThinEvent(rawBody) : parseEvent(rawBody);
    assertRouteAccepts({ route, envelope });
    const attributes: QueueMessageAttributes = {
      eventId: envelope.id,
      eventType: envelope.type,
      livemode: envelope.livemode,
      route,
      ...(envelope.account === undefined ? {} : { account: envelope.account }),
    };
    const size = messageSizeBytes({ bodyBytes, attributes });
    if (size > maxBytes) throw new PayloadTooLargeError({ sizeBytes: size, limitBytes: maxBytes });
    const { messageId } = await deps.queue.send({ body: rawBody, attributes });
    return { route, envelope, messageId };
  };

const verifyWithRotation = async (options: {
  readonly deps: IngestDependencies;
  readonly route: WebhookRoute;
  readonly rawBody: string;
  readonly header: string | undefined;
}): Promise<void> => {
  const { deps, route, rawBody, header } = options;
  const attempt = async (): Promise<void> => {
    const secrets = await deps.secrets.secretsFor(route);
    if (secrets.length === 0) throw new ConfigurationError({ detail: `no signing secret configured for the ${route} endpoint` });
    deps.verifier.verify({ rawBody, header, secrets, nowMs: deps.clock() });
  };
  try {
    await attempt();
  } catch (error) {
    const rotated = error instanceof SignatureVerificationError && error.reason === SignatureFailureReason.noMatchingSignature;
    if (!rotated || deps.secrets.refresh === undefined) throw error;
    await deps.secrets.refresh();
    await attempt();
  }
};
