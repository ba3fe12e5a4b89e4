import { DEFAULT_AWS_CALL_POLICY, awsCallPolicyFromEnv, awsClientConfig } from '../../functions/adapters/aws-clients';
import { ConfigurationError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';

describe('the AWS call policy', () => {
  test('defaults to attempts short enough to retry a stalled call inside the ingest\'s 10 s', () => {
    // Act
    const policy = awsCallPolicyFromEnv({});

    // Assess
    expect(policy).toEqual(DEFAULT_AWS_CALL_POLICY);
    expect(policy.maxAttempts * policy.requestTimeoutMs).toBeLessThan(10_000);
  });

  test('takes AWS_CONNECTION_TIMEOUT_MS and AWS_REQUEST_TIMEOUT_MS from the environment', () => {
    // Act
    const policy = awsCallPolicyFromEnv({ AWS_CONNECTION_TIMEOUT_MS: '500', AWS_REQUEST_TIMEOUT_MS: '10000' });

    // Assess
    expect(policy).toEqual({ maxAttempts: 3, connectionTimeoutMs: 500, requestTimeoutMs: 10_000 });
  });

  test.each(['0', '-1', '1.5', 'soon'])('refuses AWS_REQUEST_TIMEOUT_MS=%s with a clear error', (value) => {
    // Act
    const error = captureError(() => awsCallPolicyFromEnv({ AWS_REQUEST_TIMEOUT_MS: value }));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('AWS_REQUEST_TIMEOUT_MS');
  });

  test('becomes the SDK client settings: attempts, and timeouts that throw instead of only warning', () => {
    // Act
    const config = awsClientConfig({ region: 'eu-west-1', calls: { maxAttempts: 2, connectionTimeoutMs: 100, requestTimeoutMs: 200 } });

    // Assess
    expect(config).toEqual({ maxAttempts: 2, region: 'eu-west-1', requestHandler: { connectionTimeout: 100, requestTimeout: 200, throwOnRequestTimeout: true } });
  });
});
