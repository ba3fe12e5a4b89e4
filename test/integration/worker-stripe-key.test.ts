import { createHandlerRegistry } from '../../functions/core/handler-registry';
import { connectProjections } from '../../functions/core/handlers';
import { workerDependenciesFromEnv } from '../../functions/worker/create-handler';
import { createRecordingLogger } from '../support/fakes';
import { startFakeSecretsManager } from '../support/fake-secrets-manager';
import { startLoopbackServer } from '../support/loopback-server';
import type { LoopbackRequest } from '../support/loopback-server';
import type { FakeSecretsManager } from '../support/fake-secrets-manager';

describe('the worker\'s Stripe client, for custom handlers', () => {
  let fake: FakeSecretsManager;
  let savedEndpoint: string | undefined;

  beforeAll(async () => {
    fake = await startFakeSecretsManager();
    savedEndpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
  });

  afterAll(async () => {
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = savedEndpoint;
    await fake.stop();
  });

  test('reads the API key once for every batch, and hands out clients acting as the account', async () => {
    // Prepare
    const secretId = fake.create(`stripe-key-${Math.random().toString(36).slice(2)}`, 'sk_test_worker_key_0123456789');
    const registry = createHandlerRegistry({ projections: connectProjections, custom: { 'account.updated': async () => ({}) } });
    const seen: LoopbackRequest[] = [];
    const stripeApi = await startLoopbackServer((request) => {
      seen.push(request);
      return { status: 200, contentType: 'application/json', body: JSON.stringify({ object: 'balance', available: [], pending: [], livemode: false }) };
    });
    const env = { LEDGER_TABLE_NAME: 'ledger', STATE_TABLE_NAME: 'state', STRIPE_API_KEY_SECRET_ID: secretId, STRIPE_API_BASE_URL: stripeApi.endpoint };
    const deps = workerDependenciesFromEnv({ env, logger: createRecordingLogger(), registry });
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    await deps.prepare();
    await deps.prepare();
    await deps.prepare();
    await deps.stripeFor('acct_1WorkerKey').balance.retrieve().finally(() => stripeApi.stop());

    // Assess
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
    expect(seen.map((request) => ({ authorization: request.headers.authorization, account: request.headers['stripe-account'] }))).toEqual([
      { authorization: 'Bearer sk_test_worker_key_0123456789', account: 'acct_1WorkerKey' },
    ]);
  });

  test('without custom handlers, reads nothing', async () => {
    // Prepare
    const deps = workerDependenciesFromEnv({ env: { LEDGER_TABLE_NAME: 'ledger', STATE_TABLE_NAME: 'state', STRIPE_API_KEY_SECRET_ID: 'unused' }, logger: createRecordingLogger(), registry: createHandlerRegistry({ projections: connectProjections }) });
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    await deps.prepare();

    // Assess
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(0);
  });
});
