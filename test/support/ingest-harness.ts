import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createEnvWebhookSecrets } from '../../functions/adapters/env-webhook-secrets';
import { createHmacSignatureVerifier } from '../../functions/adapters/hmac-signature-verifier';
import { createIngestHandler } from '../../functions/ingest/create-handler';
import { createFakeClock, createFakeEventQueue, createRecordingLogger } from './fakes';
import type { FakeClock, FakeEventQueue, RecordingLogger } from './fakes';

/** Test-only signing secrets of the two endpoints. */
export const ACCOUNT_SECRET = 'whsec_unit_account_9f8e7d6c5b4a';
export const CONNECT_SECRET = 'whsec_unit_connect_1a2b3c4d5e6f';

/** The generic bodies callers get: never the precise reason. */
export const GENERIC_BODIES = {
  400: { error: 'Invalid webhook request' },
  404: { error: 'Not found' },
  405: { error: 'Method not allowed' },
  413: { error: 'Payload too large' },
  500: { error: 'Internal error' },
  503: { error: 'Temporarily unavailable, retry later' },
} as const;

export interface IngestHarness {
  readonly handle: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  readonly queue: FakeEventQueue;
  readonly logger: RecordingLogger;
  readonly clock: FakeClock;
}

/**
 * The real ingest handler with the production verifier and env secret source; only the queue, logger and
 * clock are fakes. By default both endpoints have one secret and the clock reads the real time.
 */
export const createIngestHarness = (
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly maxMessageBytes?: number;
    readonly nowMs?: number;
  } = {},
): IngestHarness => {
  const env = options.env ?? { STRIPE_WEBHOOK_SECRET: ACCOUNT_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET };
  const queue = createFakeEventQueue(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes });
  const logger = createRecordingLogger();
  const clock = createFakeClock(options.nowMs ?? Date.now());
  const handle = createIngestHandler({
    deps: { queue, secrets: createEnvWebhookSecrets(env), verifier: createHmacSignatureVerifier(), clock: clock.now },
    logger,
  });
  return { handle, queue, logger, clock };
};

/** The JSON body of a handler response. */
export const bodyOf = (response: APIGatewayProxyStructuredResultV2): unknown => JSON.parse(response.body ?? 'null');
