import { startFakeSecretsManager } from '../support/fake-secrets-manager';
import type { FakeSecretsManager } from '../support/fake-secrets-manager';
import { createSecretsIngestHarness, secretText } from '../support/secrets-ingest-harness';
import type { SecretsIngestHarness, SecretsTiming } from '../support/secrets-ingest-harness';

const OLD_SECRET = 'whsec_it_rotation_old_0123456789abcdef';
const NEW_SECRET = 'whsec_it_rotation_new_fedcba9876543210';
const FORGED_SECRET = 'whsec_it_forger_000000000000000000000';

describe('Secrets Manager webhook secrets, driven through the real ingest handler', () => {
  let fake: FakeSecretsManager;
  let harness: SecretsIngestHarness | undefined;

  beforeAll(async () => {
    fake = await startFakeSecretsManager();
  });

  afterEach(() => harness?.stop());

  afterAll(async () => {
    await fake.stop();
  });

  /** A fresh secret holding `[OLD_SECRET]` for the account endpoint, and an ingest reading it. */
  const start = (timing: SecretsTiming = {}) => {
    const secretId = fake.create(`webhooks-${Math.random().toString(36).slice(2)}`, secretText({ account: [OLD_SECRET] }));
    harness = createSecretsIngestHarness({ endpoint: fake.endpoint, secretId, ...timing });
    return { secretId, harness };
  };

  test('reads the secret once on first use and verifies many events from the cache', async () => {
    // Prepare
    const { harness } = start();
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const statuses: Array<number | undefined> = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await harness.post(OLD_SECRET)).statusCode);

    // Assess
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });

  test('reads the secret again once the cache time has passed', async () => {
    // Prepare
    const { harness } = start({ cacheTtlMs: 300_000 });
    await harness.post(OLD_SECRET);
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    harness.clock.advance(299_000);
    await harness.post(OLD_SECRET);
    const readsWithinTtl = fake.calls('GetSecretValue') - readsBefore;
    harness.clock.advance(2_000);
    await harness.post(OLD_SECRET);

    // Assess
    expect(readsWithinTtl).toBe(0);
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });

  test('after a rotation, an event signed with the new secret is accepted on the first try, without a redeploy', async () => {
    // Prepare
    const { secretId, harness } = start();
    await harness.post(OLD_SECRET);
    fake.setValue(secretId, secretText({ account: [OLD_SECRET, NEW_SECRET] }));
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const response = await harness.post(NEW_SECRET);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(harness.queue.sent).toHaveLength(2);
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });

  test('a flood of forged signatures reloads the secret at most once per refresh interval', async () => {
    // Prepare
    const { harness } = start({ minRefreshIntervalMs: 30_000 });
    await harness.post(OLD_SECRET);
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const statuses = new Set<number | undefined>();
    for (let i = 0; i < 20; i += 1) {
      statuses.add((await harness.post(FORGED_SECRET)).statusCode);
      harness.clock.advance(1_000);
    }
    const readsInFirstInterval = fake.calls('GetSecretValue') - readsBefore;
    harness.clock.advance(11_000);
    await harness.post(FORGED_SECRET);

    // Assess
    expect([...statuses]).toEqual([400]);
    expect(readsInFirstInterval).toBe(1);
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(2);
  });

  test('concurrent first requests share one read', async () => {
    // Prepare
    const { harness } = start();
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const responses = await Promise.all(Array.from({ length: 8 }, () => harness.post(OLD_SECRET)));

    // Assess
    expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });
});
