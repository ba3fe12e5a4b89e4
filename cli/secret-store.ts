import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describeError } from '../functions/core/errors';
import { EMPTY_WEBHOOK_SECRET_DOCUMENT, parseWebhookSecretDocument, serializeWebhookSecretDocument } from '../functions/adapters/webhook-secret-document';
import type { WebhookSecretDocument } from '../functions/adapters/webhook-secret-document';

/** The deployment's webhook secret as the CLI reads and writes it. */
export interface WebhookSecretStore {
  /** Name or ARN of the secret. */
  readonly secretId: string;
  /** The current lists; `hasValue` is false for a secret never written (read as empty lists). */
  read(): Promise<{ readonly document: WebhookSecretDocument; readonly hasValue: boolean }>;
  /** Writes the lists as the secret's new current version; the previous one stays as AWSPREVIOUS. */
  write(document: WebhookSecretDocument): Promise<void>;
}

const failure = (action: string, secretId: string, error: unknown): Error => {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ResourceNotFoundException') return new Error(`Secret ${secretId} does not exist: is the stack deployed completely?`);
  if (name === 'AccessDeniedException') return new Error(`Not allowed to ${action} secret ${secretId}: your AWS identity needs secretsmanager:GetSecretValue and secretsmanager:PutSecretValue on it.`);
  return new Error(`Could not ${action} secret ${secretId}: ${describeError(error)}`);
};

/** Reads and writes the secret through Secrets Manager; SDK errors become messages that say what to check. */
export const createWebhookSecretStore = (options: { readonly client: SecretsManagerClient; readonly secretId: string }): WebhookSecretStore => {
  const { client, secretId } = options;
  return {
    secretId,
    async read() {
      let result;
      try {
        result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      } catch (error) {
        // Secrets Manager answers a secret that has no value yet like a missing one; PutSecretValue tells them apart.
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return { document: EMPTY_WEBHOOK_SECRET_DOCUMENT, hasValue: false };
        throw failure('read', secretId, error);
      }
      // Rewriting a binary secret as lists would destroy whatever it holds.
      if (result.SecretString === undefined && result.SecretBinary !== undefined) throw new Error(`Secret ${secretId} holds binary data, not the JSON lists; it is left unchanged.`);
      return { document: parseWebhookSecretDocument({ text: result.SecretString, source: `secret ${secretId}` }), hasValue: true };
    },
    async write(document) {
      try {
        await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: serializeWebhookSecretDocument(document) }));
      } catch (error) {
        throw failure('write', secretId, error);
      }
    },
  };
};
