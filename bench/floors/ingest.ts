/**
 * The ingest's library floor: the same SDK clients and Powertools utility as the ingest, built the same way,
 * created at module scope, and one call per invocation; none of our code.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const logger = new Logger({ serviceName: 'floor' });
const sqs = new SQSClient({});
const secrets = new SecretsManagerClient({});

export const handler = async (event: { readonly body: string }) => {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.WEBHOOK_SECRET_ID }));
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: event.body }));
  logger.info('sent', { messageId: sent.MessageId, versionId: secret.VersionId });
  return { statusCode: 200 };
};
