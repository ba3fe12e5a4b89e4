import { webhookSecretGraceMsFromEnv } from '../../functions/adapters/config';
import { ConfigurationError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';

describe('WEBHOOK_SECRET_GRACE_SECONDS', () => {
  test('defaults to one hour', () => {
    // Act
    const graceMs = webhookSecretGraceMsFromEnv({});

    // Assess
    expect(graceMs).toBe(3_600_000);
  });

  test('is read in seconds', () => {
    // Act
    const graceMs = webhookSecretGraceMsFromEnv({ WEBHOOK_SECRET_GRACE_SECONDS: '120' });

    // Assess
    expect(graceMs).toBe(120_000);
  });

  test('refuses a value that is not a positive number', () => {
    // Act
    const error = captureError(() => webhookSecretGraceMsFromEnv({ WEBHOOK_SECRET_GRACE_SECONDS: 'forever' }));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
  });
});
