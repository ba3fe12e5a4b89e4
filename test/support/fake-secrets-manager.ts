import { randomUUID } from 'node:crypto';
import { startLoopbackServer } from './loopback-server';
import type { LoopbackResponse, LoopbackServer } from './loopback-server';

/** How the fake fails every call while set: an AWS-side 500, or the secret is unknown. */
export type FakeSecretsManagerFailure = 'internal-error' | 'not-found';

/** The operations the fake speaks, as named in the `x-amz-target` header after `secretsmanager.`. */
export type FakeSecretsManagerOperation = 'GetSecretValue' | 'PutSecretValue';

/** A Secrets Manager stand-in on loopback, speaking the AWS JSON 1.1 protocol the SDK uses. */
export interface FakeSecretsManager extends LoopbackServer {
  /** Creates a secret, without a value when `value` is omitted (as a secret never written); returns its ARN. */
  create(name: string, value?: string): string;
  /** The current value of a secret, by name or ARN, as an operator would write it in the console. */
  setValue(id: string, value: string): void;
  valueOf(id: string): string | undefined;
  /** How many values were written, the first included. */
  versionCount(id: string): number;
  /** Requests received per operation, failed ones included. */
  calls(operation: FakeSecretsManagerOperation): number;
  /** While set, every call fails this way. */
  failWith: FakeSecretsManagerFailure | undefined;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly versions: Array<{ readonly id: string; readonly value: string }>;
}

const json = (status: number, body: Record<string, unknown>): LoopbackResponse => ({ status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(body) });
const awsError = (status: number, type: string, message: string): LoopbackResponse => json(status, { __type: type, message });
const NOT_FOUND = awsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** Starts the fake on a free loopback port; point a client at `endpoint` (or `AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
export const startFakeSecretsManager = async (): Promise<FakeSecretsManager> => {
  const secrets = new Map<string, StoredSecret>();
  const counts = new Map<string, number>();
  const find = (id: string): StoredSecret | undefined => secrets.get(id) ?? [...secrets.values()].find((secret) => secret.arn === id);
  const write = (secret: StoredSecret, value: string): string => {
    const id = randomUUID();
    secret.versions.push({ id, value });
    return id;
  };

  const operations: Record<FakeSecretsManagerOperation, (input: Record<string, unknown>) => LoopbackResponse> = {
    GetSecretValue: (input) => {
      const secret = find(String(input.SecretId));
      const current = secret?.versions.at(-1);
      // AWS answers a secret that has no value yet like an unknown one.
      if (secret === undefined || current === undefined) return NOT_FOUND;
      return json(200, { ARN: secret.arn, Name: secret.name, SecretString: current.value, VersionId: current.id, VersionStages: ['AWSCURRENT'], CreatedDate: Date.now() / 1000 });
    },
    PutSecretValue: (input) => {
      const secret = find(String(input.SecretId));
      if (secret === undefined) return NOT_FOUND;
      const versionId = write(secret, String(input.SecretString));
      return json(200, { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: ['AWSCURRENT'] });
    },
  };

  const fake: FakeSecretsManager = {
    ...(await startLoopbackServer((request) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^secretsmanager\./, '') as FakeSecretsManagerOperation;
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      if (fake.failWith === 'internal-error') return awsError(500, 'InternalServiceError', 'An error occurred on the server side.');
      if (fake.failWith === 'not-found') return NOT_FOUND;
      const run = operations[operation];
      return run === undefined ? awsError(400, 'UnknownOperationException', `fake does not speak ${target}`) : run(JSON.parse(request.body || '{}') as Record<string, unknown>);
    })),
    failWith: undefined,
    create: (name, value) => {
      const secret: StoredSecret = { name, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`, versions: [] };
      secrets.set(name, secret);
      if (value !== undefined) write(secret, value);
      return secret.arn;
    },
    setValue: (id, value) => {
      const secret = find(id);
      if (secret === undefined) throw new Error(`fake has no secret ${id}`);
      write(secret, value);
    },
    valueOf: (id) => find(id)?.versions.at(-1)?.value,
    versionCount: (id) => find(id)?.versions.length ?? 0,
    calls: (operation) => counts.get(operation) ?? 0,
  };
  return fake;
};
