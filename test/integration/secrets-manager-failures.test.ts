import { startFakeSecretsManager } from '../support/fake-secrets-manager';
import type { FakeSecretsManager } from '../support/fake-secrets-manager';
import { GENERIC_BODIES, bodyOf } from '../support/ingest-harness';
import { createSecretsIngestHarness, secretText } from '../support/secrets-ingest-harness';
import type { SecretsIngestHarness } from '../support/secrets-ingest-harness';

// Every secret value in this file contains `_it_`, so a log holding any part of one is easy to spot.
const SECRET = 'whsec_it_failures_0123456789abcdef0123';
const LEAK = 'whsec_it_must_never_be_logged_4242424242';

describe('Secrets Manager webhook secrets: failures answer 5xx so Stripe retries', () => {
  let fake: FakeSecretsManager;
  let harness: SecretsIngestHarness | undefined;

  beforeAll(async () => {
    fake = await startFakeSecretsManager();
  });

  afterEach(() => {
    harness?.stop();
    fake.failWith = undefined;
  });

  afterAll(async () => {
    await fake.stop();
  });

  const start = (value: string | undefined) => {
    const secretId = fake.create(`webhooks-${Math.random().toString(36).slice(2)}`, value);
    harness = createSecretsIngestHarness({ endpoint: fake.endpoint, secretId, retryAfterFailureMs: 5_000 });
    return harness;
  };

  test('a Secrets Manager outage is answered 500, logged as secrets.unavailable, and nothing is enqueued', async () => {
    // Prepare
    const harness = start(secretText({ account: [SECRET] }));
    fake.failWith = 'internal-error';

    // Act
    const response = await harness.post(SECRET);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual(GENERIC_BODIES[500]);
    expect(harness.logger.linesAt('error').map((line) => line.attributes.code)).toEqual(['secrets.unavailable']);
    expect(harness.queue.sent).toHaveLength(0);
  });

  test('during an outage, requests within the retry delay do not call Secrets Manager again', async () => {
    // Prepare
    const harness = start(secretText({ account: [SECRET] }));
    fake.failWith = 'internal-error';
    const readsBefore = fake.calls('GetSecretValue');

    // Act
    const statuses = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await harness.post(SECRET)).statusCode);

    // Assess
    expect(new Set(statuses)).toEqual(new Set([500]));
    expect(fake.calls('GetSecretValue') - readsBefore).toBe(1);
  });

  test('once Secrets Manager is back and the retry delay has passed, the retried delivery is accepted', async () => {
    // Prepare
    const harness = start(secretText({ account: [SECRET] }));
    fake.failWith = 'internal-error';
    await harness.post(SECRET);
    fake.failWith = undefined;

    // Act
    harness.clock.advance(5_000);
    const response = await harness.post(SECRET);

    // Assess
    expect(response.statusCode).toBe(200);
  });

  test('a secret that was never given a value is answered 500 and logged as config.invalid', async () => {
    // Prepare
    const harness = start(undefined);

    // Act
    const response = await harness.post(SECRET);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(harness.logger.linesAt('error')[0]?.attributes).toMatchObject({ code: 'config.invalid', awsError: 'ResourceNotFoundException' });
  });

  test.each([
    ['not JSON', `${LEAK},${SECRET}`],
    ['JSON that is not an object', JSON.stringify([LEAK])],
    ['a list that is a string', JSON.stringify({ account: LEAK })],
    ['an entry without the whsec_ prefix', JSON.stringify({ account: [SECRET, LEAK.replace('whsec_', 'sk_live_')] })],
    ['an entry that is not a string', JSON.stringify({ account: [SECRET, { value: LEAK }] })],
  ])('a malformed secret (%s) is answered 500 with one log line that holds no secret value', async (_label, value) => {
    // Prepare
    const harness = start(value);

    // Act
    const response = await harness.post(SECRET);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(harness.logger.linesAt('error')).toHaveLength(1);
    expect(harness.logger.linesAt('error')[0]?.attributes.code).toBe('config.invalid');
    expect(harness.logger.text()).not.toContain('_it_');
  });

  describe('after the cache expired', () => {
    const CACHE_MS = 60_000;
    const GRACE_MS = 600_000;
    const startCached = async () => {
      const secretId = fake.create(`webhooks-${Math.random().toString(36).slice(2)}`, secretText({ account: [SECRET] }));
      harness = createSecretsIngestHarness({ endpoint: fake.endpoint, secretId, cacheTtlMs: CACHE_MS, staleGraceMs: GRACE_MS, retryAfterFailureMs: 5_000 });
      const first = await harness.post(SECRET);
      if (first.statusCode !== 200) throw new Error(`the first read failed: ${first.statusCode}`);
      return harness;
    };

    test('an outage keeps verifying with the last lists read, with one warning per failed read', async () => {
      // Prepare
      const harness = await startCached();
      fake.failWith = 'internal-error';
      harness.clock.advance(CACHE_MS);

      // Act
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await harness.post(SECRET)).statusCode);

      // Assess
      expect(statuses).toEqual([200, 200, 200]);
      expect(harness.queue.sent).toHaveLength(4);
      expect(harness.logger.linesAt('warn')).toEqual([
        expect.objectContaining({ message: 'webhook secrets unreadable; verifying with the last lists read', attributes: expect.objectContaining({ code: 'secrets.unavailable', graceSeconds: GRACE_MS / 1000 }) }),
      ]);
      expect(harness.logger.text()).not.toContain('_it_');
    });

    test('past the grace period an outage is answered 500 again', async () => {
      // Prepare
      const harness = await startCached();
      fake.failWith = 'internal-error';
      harness.clock.advance(CACHE_MS + GRACE_MS);

      // Act
      const response = await harness.post(SECRET);

      // Assess
      expect(response.statusCode).toBe(500);
      expect(harness.logger.linesAt('error').map((line) => line.attributes.code)).toEqual(['secrets.unavailable']);
    });

    test('a configuration fault (secret deleted) is not covered by the grace period', async () => {
      // Prepare
      const harness = await startCached();
      fake.failWith = 'not-found';
      harness.clock.advance(CACHE_MS);

      // Act
      const response = await harness.post(SECRET);

      // Assess
      expect(response.statusCode).toBe(500);
      expect(harness.logger.linesAt('error').map((line) => line.attributes.code)).toEqual(['config.invalid']);
    });
  });
});
