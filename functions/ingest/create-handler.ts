import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createWebhookIngest } from '../core/ingest-webhook';
import type { IngestDependencies } from '../core/ingest-webhook';
import type { Logger } from '../core/ports';
import { createSqsClient } from '../adapters/aws-clients';
import { requireEnv } from '../adapters/config';
import { createEnvWebhookSecrets } from '../adapters/env-webhook-secrets';
import { createSqsEventQueue } from '../adapters/sqs-event-queue';
import { createStripeSignatureVerifier } from '../adapters/stripe-signature-verifier';
import { jsonResponse, mapError, toWebhookRequest } from './http-mapping';

/** The ingest's adapters, from the process environment (`QUEUE_URL`, secret lists). */
export const ingestDependenciesFromEnv = (env: NodeJS.ProcessEnv): IngestDependencies => ({
  queue: createSqsEventQueue({ client: createSqsClient(), queueUrl: requireEnv(env, 'QUEUE_URL') }),
  secrets: createEnvWebhookSecrets(env),
  verifier: createStripeSignatureVerifier(),
  clock: Date.now,
});

/** An HTTP API handler around the ingest use case: one log line per request, statuses from `mapError`. */
export const createIngestHandler = (options: { readonly deps: IngestDependencies; readonly logger: Logger }) => {
  const ingest = createWebhookIngest(options.deps);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const request = toWebhookRequest(event);
    const requestLog = { method: request.method, path: request.path.slice(0, 200), bodyBytes: request.rawBody.length };
    try {
      const { route, envelope, messageId } = await ingest(request);
      options.logger.info('event enqueued', {
        ...requestLog,
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
      options.logger[mapped.level]('webhook refused', { ...requestLog, status: mapped.response.statusCode, ...mapped.log });
      return mapped.response;
    }
  };
};
