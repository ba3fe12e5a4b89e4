import { CreateTableCommand, DescribeTimeToLiveCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LEDGER_KEY } from '../functions/adapters/dynamodb-event-ledger';

/** Names and settings of the local resources; they mirror the CDK stack's. */
export interface LocalResourceSettings {
  readonly ledgerTableName: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** URLs and names of the created resources. */
export interface LocalResources {
  readonly ledgerTableName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** Creates the ledger table with TTL on `expiresAt`; an existing table (a restart) is kept as it is. */
export const ensureLedgerTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: LEDGER_KEY, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: LEDGER_KEY, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  }
};

/** Creates the queue and its DLQ with a redrive policy (maxReceiveCount) and a redrive allow policy. */
export const ensureQueues = async (client: SQSClient, settings: LocalResourceSettings): Promise<Omit<LocalResources, 'ledgerTableName'>> => {
  const fourteenDays = String(14 * 86_400);
  const dlq = await client.send(new CreateQueueCommand({ QueueName: settings.deadLetterQueueName, Attributes: { MessageRetentionPeriod: fourteenDays } }));
  const deadLetterQueueUrl = required(dlq.QueueUrl, 'DLQ URL');
  const dlqAttributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }));
  const deadLetterTargetArn = required(dlqAttributes.Attributes?.QueueArn, 'DLQ ARN');
  const attributes = {
    MessageRetentionPeriod: fourteenDays,
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: settings.maxReceiveCount }),
  };
  const queue = await client.send(new CreateQueueCommand({ QueueName: settings.queueName, Attributes: attributes }));
  const queueUrl = required(queue.QueueUrl, 'queue URL');
  // CreateQueue keeps an existing queue's attributes; make a restart pick up changed settings.
  await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: attributes }));
  return { queueUrl, deadLetterQueueUrl };
};

const required = (value: string | undefined, what: string): string => {
  if (value === undefined) throw new Error(`the SQS emulator returned no ${what}`);
  return value;
};
