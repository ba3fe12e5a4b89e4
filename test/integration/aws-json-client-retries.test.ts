import { AwsServiceError, createAwsJsonClient } from '../../functions/adapters/aws-json-client';
import { AWS_JSON_SERVICES, endpointFor, envCredentials } from '../../functions/adapters/aws-service-settings';
import { ConfigurationError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';
import { startLoopbackServer } from '../support/loopback-server';
import type { LoopbackRequest, LoopbackResponse, LoopbackServer } from '../support/loopback-server';

const json = (status: number, body: unknown): LoopbackResponse => ({ status, contentType: 'application/x-amz-json-1.0', body: JSON.stringify(body) });

/** A fake service answering from a script, one answer per request, and the requests it saw. */
const scripted = async (answers: readonly LoopbackResponse[]): Promise<{ server: LoopbackServer; seen: LoopbackRequest[] }> => {
  const seen: LoopbackRequest[] = [];
  const server = await startLoopbackServer((request) => {
    seen.push(request);
    return answers[Math.min(seen.length - 1, answers.length - 1)] as LoopbackResponse;
  });
  return { server, seen };
};

const env = (endpoint: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake-secret',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  ...extra,
});

describe('createAwsJsonClient retries and errors', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('sends a signed JSON-protocol request with the operation as its target', async () => {
    // Prepare
    const { server, seen } = await scripted([json(200, { ok: true })]);
    stop = server.stop;
    const client = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, env: env(server.endpoint, { AWS_SESSION_TOKEN: 'session' }) });
    // Act
    const output = await client.call('GetItem', { TableName: 't' });
    // Assess
    expect(output).toEqual({ ok: true });
    expect(seen[0]?.headers).toMatchObject({
      'x-amz-target': 'DynamoDB_20120810.GetItem',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-security-token': 'session',
      authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIAFAKE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/),
    });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ TableName: 't' });
  });

  it('retries a 5xx and a throttle, then answers', async () => {
    // Prepare
    const { server, seen } = await scripted([json(503, { __type: 'ServiceUnavailable' }), json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' }), json(200, {})]);
    stop = server.stop;
    const client = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, env: env(server.endpoint), retryBaseMs: 1 });
    // Act
    await client.call('PutItem', {});
    // Assess
    expect(seen).toHaveLength(3);
  });

  it('gives up after maxAttempts with the last error and the attempts made', async () => {
    // Prepare
    const { server, seen } = await scripted([json(500, { __type: 'InternalServerError', message: 'boom' })]);
    stop = server.stop;
    const client = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, env: env(server.endpoint), retryBaseMs: 1, maxAttempts: 3 });
    // Act
    const error = await captureError(() => client.call('PutItem', {}));
    // Assess
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).message).toBe('dynamodb PutItem failed: InternalServerError: boom');
    expect((error as AwsServiceError).context).toMatchObject({ attempts: 3, statusCode: 500, requestId: 'fake-request-id' });
  });

  it('does not retry a client error, and names it from the service', async () => {
    // Prepare
    const { server, seen } = await scripted([json(400, { __type: 'com.amazon.coral.validate#ValidationException', Message: 'bad key' })]);
    stop = server.stop;
    const client = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, env: env(server.endpoint), retryBaseMs: 1 });
    // Act
    const error = await captureError(() => client.call('GetItem', {}));
    // Assess
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ name: 'ValidationException', retryable: false, statusCode: 400 });
  });

  it('treats a 2xx answer that is not JSON as a failure', async () => {
    // Prepare
    const { server } = await scripted([{ status: 200, contentType: 'text/html', body: '<html>proxy</html>' }]);
    stop = server.stop;
    const client = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, env: env(server.endpoint) });
    // Act
    const error = await captureError(() => client.call('GetItem', {}));
    // Assess
    expect(error).toMatchObject({ name: 'InvalidResponse', retryable: false });
  });

  it('retries a refused connection, then reports it by its code', async () => {
    // Prepare: a port nothing listens on any more.
    const { server } = await scripted([json(200, {})]);
    await server.stop();
    const client = createAwsJsonClient({ service: AWS_JSON_SERVICES.dynamoDb, env: env(server.endpoint), retryBaseMs: 1 });
    // Act
    const error = await captureError(() => client.call('GetItem', {}));
    // Assess
    expect(error).toMatchObject({ name: 'ECONNREFUSED', retryable: true });
    expect((error as AwsServiceError).context.attempts).toBe(3);
  });

  it('fails the call, not the cold start, when the environment lacks credentials or a region', async () => {
    // Prepare
    const noCredentials = createAwsJsonClient({ service: AWS_JSON_SERVICES.sqs, env: { AWS_REGION: 'us-east-1' } });
    const noRegion = createAwsJsonClient({ service: AWS_JSON_SERVICES.sqs, env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } });
    // Act
    const errors = [await captureError(() => noCredentials.call('SendMessage', {})), await captureError(() => noRegion.call('SendMessage', {}))];
    // Assess
    expect(errors[0]).toBeInstanceOf(ConfigurationError);
    expect((errors[0] as Error).message).toMatch(/AWS_ACCESS_KEY_ID/);
    expect((errors[1] as Error).message).toMatch(/AWS_REGION/);
  });
});

describe('endpointFor and envCredentials', () => {
  it('prefers the service setting, then the global one, then the regional host', () => {
    // Prepare
    const service = AWS_JSON_SERVICES.secretsManager;
    // Act / Assess
    expect(endpointFor({ service, region: 'us-east-1', env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' } }).href).toBe('http://a:1/');
    expect(endpointFor({ service, region: 'us-east-1', env: { AWS_ENDPOINT_URL: 'http://b:2' } }).href).toBe('http://b:2/');
    expect(endpointFor({ service, region: 'eu-central-1', env: {} }).href).toBe('https://secretsmanager.eu-central-1.amazonaws.com/');
    expect(endpointFor({ service: AWS_JSON_SERVICES.sqs, region: 'cn-north-1', env: {} }).href).toBe('https://sqs.cn-north-1.amazonaws.com.cn/');
    expect(endpointFor({ service, region: 'us-east-1', env: { AWS_ENDPOINT_URL: 'http://b:2', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } }).href).toBe('https://secretsmanager.us-east-1.amazonaws.com/');
  });

  it('refuses an endpoint that is not a URL, naming the setting’s value', () => {
    // Act
    const error = captureError(() => endpointFor({ service: AWS_JSON_SERVICES.sqs, region: 'us-east-1', env: { AWS_ENDPOINT_URL_SQS: 'not a url' } }));
    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/"not a url" for sqs is not a URL/);
  });

  it('passes the session token only when there is one', async () => {
    // Act
    const withToken = await envCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 't' })();
    const without = await envCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: ' ' })();
    // Assess
    expect(withToken).toEqual({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' });
    expect(without).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
  });
});
