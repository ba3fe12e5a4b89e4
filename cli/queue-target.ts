import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createSqsClient } from '../functions/adapters/aws-clients';
import { createDocumentClient } from '../functions/adapters/dynamodb-documents';
import { createSqsEventQueue } from '../functions/adapters/sqs-event-queue';
import { cliAwsOptions } from './aws-options';
import type { EventQueue } from '../functions/core/ports';
import { useEmulatorEndpoints } from '../local/pipeline';
import { loadTarget } from './pipeline-target';
import { stackTargetOf } from './target';
import type { TargetOptions } from './target';

/** The event queue and DLQ of the local pipeline or of a deployed stack, and the state table. */
export interface QueueTarget {
  readonly deployed: boolean;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly queue: EventQueue;
  readonly documentClient: DynamoDBDocumentClient;
  readonly stateTableName: string;
  /** The queue's ARN, for SQS's own move task. */
  arnOf(queueUrl: string): Promise<string>;
}

/** Resolves the queues like the other commands resolve the ledger: `--stack` or the local pipeline. */
export const openQueuesFor = async (options: TargetOptions): Promise<QueueTarget> => {
  const stack = await stackTargetOf(options);
  let urls: { queueUrl: string; deadLetterQueueUrl: string; stateTableName: string };
  if (stack === undefined) {
    const local = loadTarget(options);
    useEmulatorEndpoints(local.endpoints);
    urls = local.resources;
  } else {
    urls = { queueUrl: stack.resource('queueUrl'), deadLetterQueueUrl: stack.resource('deadLetterQueueUrl'), stateTableName: stack.resource('stateTableName') };
  }
  const region = stack?.region;
  const sqs = createSqsClient(cliAwsOptions(region));
  return {
    deployed: stack !== undefined,
    sqs,
    queueUrl: urls.queueUrl,
    deadLetterQueueUrl: urls.deadLetterQueueUrl,
    queue: createSqsEventQueue({ client: sqs, queueUrl: urls.queueUrl }),
    documentClient: createDocumentClient(cliAwsOptions(region)),
    stateTableName: urls.stateTableName,
    async arnOf(queueUrl) {
      const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
      const arn = result.Attributes?.QueueArn;
      if (arn === undefined) throw new Error(`SQS returned no ARN for ${queueUrl}`);
      return arn;
    },
  };
};
