import { CreateTableCommand, DescribeTimeToLiveCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LEDGER_KEY } from '../functions/adapters/dynamodb-event-ledger';
import { STATE_KEY } from '../functions/adapters/dynamodb-state-commit';

/** Names and settings of the local resources; they mirror the CDK stack's. */
export interface LocalResourceSettings {
  readonly ledgerTableName: string;
  readonly stateTableName: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** URLs and names of the created resources. */
export interface LocalResources {
  readonly ledgerTableName: string;
  readonly stateTableName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** Creates a table unless it exists (a restart keeps it as it is). */
const ensureTable = async (client: DynamoDBClient, tableName: string, keys: ReadonlyArray<readonly [string, 'HASH' | 'RANGE']>): Promise<void> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: keys.map(([name]) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: keys.map(([name, type]) => ({ AttributeName: name, KeyType: type })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
};

/** Creates the Connect state table: partition `pk` (account and mode), sort `sk` (record). */
export const ensureStateTable = (client: DynamoDBClient, tableName: string): Promise<void> =>
  ensureTable(client, tableName, [[STATE_KEY.partition, 'HASH'], [STATE_KEY.item, 'RANGE']]);

/** Creates the ledger table with TTL on `expiresAt`. */
export const ensureLedgerTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await ensureTable(client, tableName, [[LEDGER_KEY, 'HASH']]);
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  }
};

/** Creates the queue and its DLQ with a redrive policy (maxReceiveCount) and a redrive allow policy. */
export const ensureQueues = async (client: SQSClient, settings: LocalResourceSettings): Promise<Pick<LocalResources, 'queueUrl' | 'deadLetterQueueUrl'>> => {
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
