import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createWebhookIngest } from '../core/ingest-webhook';
import type { IngestDependencies } from '../core/ingest-webhook';
import type { Clock, Logger, WebhookSecrets } from '../core/ports';
import { createSecretsManagerClient, createSqsClient } from '../adapters/aws-clients';
import { requireEnv, webhookSecretCacheMsFromEnv, webhookSecretGraceMsFromEnv } from '../adapters/config';
import { createEnvWebhookSecrets } from '../adapters/env-webhook-secrets';
import { createSecretsManagerWebhookSecrets } from '../adapters/secrets-manager-webhook-secrets';
import { createSqsEventQueue } from '../adapters/sqs-event-queue';
import { createHmacSignatureVerifier } from '../adapters/hmac-signature-verifier';
import { jsonResponse, mapError, toWebhookRequest } from './http-mapping';

/**
 * Where the signing secrets come from: the Secrets Manager secret named by `WEBHOOK_SECRET_ID` (the deployed
 * stack; it wins when both are set), else the `STRIPE_WEBHOOK_SECRET` / `STRIPE_CONNECT_WEBHOOK_SECRET` lists
 * (`npm start`). Nothing is read from Secrets Manager until the first request.
 */
export const webhookSecretsFromEnv = (env: NodeJS.ProcessEnv, clock: Clock, logger?: Logger): WebhookSecrets => {
  const secretId = env.WEBHOOK_SECRET_ID?.trim();
  if (secretId === undefined || secretId === '') return createEnvWebhookSecrets(env);
  return createSecretsManagerWebhookSecrets({ client: createSecretsManagerClient(), secretId, clock, cacheTtlMs: webhookSecretCacheMsFromEnv(env), staleGraceMs: webhookSecretGraceMsFromEnv(env), ...(logger === undefined ? {} : { logger }) });
};

/** The ingest's adapters, from the process environment (`QUEUE_URL`, the secrets' source); `logger` gets the secrets' warnings. */
export const ingestDependenciesFromEnv = (env: NodeJS.ProcessEnv, logger?: Logger): IngestDependencies => {
  const clock: Clock = Date.now;
  return {
    queue: createSqsEventQueue({ client: createSqsClient(), queueUrl: requireEnv(env, 'QUEUE_URL') }),
    secrets: webhookSecretsFromEnv(env, clock, logger),
    verifier: createHmacSignatureVerifier(),
    clock,
  };
};

/** An HTTP API handler around the ingest use case: one log line per request, statuses from `mapError`. */
export const createIngestHandler = (options: { readonly deps: IngestDependencies; readonly logger: Logger }) => {
  const ingest = createWebhookIngest(options.deps);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const request = toWebhookRequest(event);
    const { method } = request;
    const path = request.path.slice(0, 200);
    const bodyBytes = request.receivedBytes;
    try {
      const { route, envelope, messageId } = await ingest(request);
      // Spelled out: a spread followed by more properties takes a slow path in V8 (microseconds per object),
      // which was nearly a third of the ingest's CPU per event.
      options.logger.info('event enqueued', {
        method,
        path,
        bodyBytes,
        route,
        eventId: envelope.id,
        eventType: envelope.type,
        account: envelope.account,
        livemode: envelope.livemode,
        messageId,
      });
      return jsonResponse(200, { received: true, id: envelope.id });
    } catch (error) {
      const mapped = mapError(error);
      options.logger[mapped.level]('webhook refused', { method, path, bodyBytes, status: mapped.response.statusCode, ...mapped.log });
      return mapped.response;
    }
  };
};
