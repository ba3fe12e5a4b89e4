import { ConfigurationError } from '../../functions/core/errors';
import { ingestDependenciesFromEnv, webhookSecretsFromEnv } from '../../functions/ingest/create-handler';
import { captureError } from '../support/capture-error';
import { startFakeSecretsManager } from '../support/fake-secrets-manager';
import type { FakeSecretsManager } from '../support/fake-secrets-manager';
import { createFakeClock } from '../support/fakes';
import { secretText } from '../support/secrets-ingest-harness';

const ACCOUNT = 'whsec_it_source_account_0123456789abcdef';
const CONNECT = 'whsec_it_source_connect_0123456789abcdef';
const QUEUE_URL = 'http://sqs.us-east-1.localhost/000000000000/unused';

describe('ingest wiring: where the signing secrets come from', () => {
  let fake: FakeSecretsManager;
  let secretId: string;
  const savedEndpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;

  beforeAll(async () => {
    fake = await startFakeSecretsManager();
    secretId = fake.create('webhooks-source', secretText({ account: [ACCOUNT], connect: [CONNECT] }));
    // The standard per-service endpoint variable, as a deployment (or the local pipeline) would set it.
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
  });

  afterAll(async () => {
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = savedEndpoint;
    await fake.stop();
  });

  test('with WEBHOOK_SECRET_ID, the secrets are read from that secret at the AWS_ENDPOINT_URL_SECRETS_MANAGER endpoint', async () => {
    // Prepare
    const deps = ingestDependenciesFromEnv({ QUEUE_URL, WEBHOOK_SECRET_ID: secretId, STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_it_ignored_env_list' });
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const connect = await deps.secrets.secretsFor('connect');

    // Assess
    expect(connect).toEqual([CONNECT]);
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });

  test('nothing is read from Secrets Manager before the first request', () => {
    // Prepare
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    ingestDependenciesFromEnv({ QUEUE_URL, WEBHOOK_SECRET_ID: secretId });

    // Assess
    expect(fake.calls('GetSecretValue')).toBe(readsBefore);
  });

  test('without WEBHOOK_SECRET_ID, the STRIPE_WEBHOOK_SECRET lists are used and Secrets Manager is never called', async () => {
    // Prepare
    const deps = ingestDependenciesFromEnv({ QUEUE_URL, STRIPE_WEBHOOK_SECRET: 'whsec_it_env_a,whsec_it_env_b' });
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const account = await deps.secrets.secretsFor('account');

    // Assess
    expect(account).toEqual(['whsec_it_env_a', 'whsec_it_env_b']);
    expect(fake.calls('GetSecretValue')).toBe(readsBefore);
  });

  test('WEBHOOK_SECRET_CACHE_SECONDS sets how long a read list is used', async () => {
    // Prepare
    const clock = createFakeClock();
    const secrets = webhookSecretsFromEnv({ WEBHOOK_SECRET_ID: secretId, WEBHOOK_SECRET_CACHE_SECONDS: '60' }, clock.now);
    await secrets.secretsFor('account');
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    clock.advance(59_000);
    await secrets.secretsFor('account');
    const readsWithin = fake.calls('GetSecretValue') - readsBefore;
    clock.advance(1_000);
    await secrets.secretsFor('account');

    // Assess
    expect(readsWithin).toBe(0);
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });

  test('a WEBHOOK_SECRET_CACHE_SECONDS that is not a positive number is a configuration error naming the variable', () => {
    // Prepare
    const env = { WEBHOOK_SECRET_ID: secretId, WEBHOOK_SECRET_CACHE_SECONDS: 'five minutes' };

    // Act
    const error = captureError(() => webhookSecretsFromEnv(env, Date.now));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('WEBHOOK_SECRET_CACHE_SECONDS');
  });
});
