import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createSecretsManagerClient } from '../../functions/adapters/aws-clients';
import { createSecretsManagerWebhookSecrets } from '../../functions/adapters/secrets-manager-webhook-secrets';
import type { SecretsManagerWebhookSecretsOptions } from '../../functions/adapters/secrets-manager-webhook-secrets';
import { createHmacSignatureVerifier } from '../../functions/adapters/hmac-signature-verifier';
import { createIngestHandler } from '../../functions/ingest/create-handler';
import { apiGatewayEvent, makeEventBody, nowSeconds, signPayload } from './event-factory';
import { createFakeClock, createFakeEventQueue, createRecordingLogger } from './fakes';
import type { FakeClock, FakeEventQueue, RecordingLogger } from './fakes';
import { FAKE_AWS } from './loopback-server';

/** The real ingest handler and verifier, reading its secrets from a (fake) Secrets Manager; clock, queue and logger are fakes. */
export interface SecretsIngestHarness {
  /** Posts a fresh event to the account route, signed with `secret` at the fake clock's time. */
  post(secret: string): Promise<APIGatewayProxyStructuredResultV2>;
  readonly clock: FakeClock;
  readonly queue: FakeEventQueue;
  readonly logger: RecordingLogger;
  stop(): void;
}

/** Timing options as the adapter takes them. */
export type SecretsTiming = Pick<SecretsManagerWebhookSecretsOptions, 'cacheTtlMs' | 'minRefreshIntervalMs' | 'retryAfterFailureMs' | 'staleGraceMs'>;

export const createSecretsIngestHarness = (options: { readonly endpoint: string; readonly secretId: string } & SecretsTiming): SecretsIngestHarness => {
  const { endpoint, secretId, ...timing } = options;
  const clock = createFakeClock();
  const queue = createFakeEventQueue();
  const logger = createRecordingLogger();
  // One attempt: each call is one request the fake can count.
  const client = createSecretsManagerClient({ endpoint, region: FAKE_AWS.region, calls: { maxAttempts: 1, connectionTimeoutMs: 5_000, requestTimeoutMs: 10_000 } });
  const secrets = createSecretsManagerWebhookSecrets({ client, secretId, clock: clock.now, logger, ...timing });
  const handle = createIngestHandler({ deps: { queue, secrets, verifier: createHmacSignatureVerifier(), clock: clock.now }, logger });
  return {
    post: (secret) => {
      const payload = makeEventBody();
      const header = signPayload({ payload, secret, timestamp: nowSeconds(clock.now()) });
      return handle(apiGatewayEvent({ path: '/webhooks/account', body: payload, headers: { 'stripe-signature': header } }));
    },
    clock,
    queue,
    logger,
    stop: () => undefined,
  };
};

/** The secret's JSON text for two lists. */
export const secretText = (lists: { readonly account?: readonly string[]; readonly connect?: readonly string[] }): string =>
  JSON.stringify({ account: lists.account ?? [], connect: lists.connect ?? [] });
