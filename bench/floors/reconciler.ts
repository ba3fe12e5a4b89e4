/**
 * The reconciler's library floor: the same SDK clients, Powertools utility and packages as the reconciler (stripe
 * imported on the first run, as the reconciler does), built the same way, created at module scope, one call each.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const logger = new Logger({ serviceName: 'floor' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
const secrets = new SecretsManagerClient({});

export const handler = async () => {
  const { default: Stripe } = await import('stripe');
  const key = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.STRIPE_API_KEY_SECRET_ID }));
  const events = await new Stripe(key.SecretString ?? '').events.list({ limit: 1 });
  const cursor = await documents.send(new GetCommand({ TableName: process.env.STATE_TABLE_NAME, Key: { pk: 'RECONCILER', sk: 'CURSOR#platform' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(events.data[0] ?? {}) }));
  logger.info('reconciled', { cursor: cursor.Item?.createdSince });
};
