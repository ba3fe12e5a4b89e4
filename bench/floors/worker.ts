/**
 * The worker's library floor: the same SDK clients, Powertools utilities and packages as the worker (stripe
 * imported on first use, as the worker does), built the same way, created at module scope, one call per record.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger({ serviceName: 'floor' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const processor = new BatchProcessor(EventType.SQS);

const record = async (message: SQSRecord) => {
  if (message.body === 'stripe') await import('stripe');
  await documents.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: process.env.LEDGER_TABLE_NAME, Item: { eventId: message.messageId } } }] }));
  logger.info('processed', { messageId: message.messageId });
};

export const handler = (event: SQSEvent) => processPartialResponse(event, record, processor);
