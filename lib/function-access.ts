import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The exact actions each function calls, instead of CDK's broad grants (`grants.readWriteData` also allows
 * DeleteItem, BatchWriteItem, Scan, stream reads; `grantSendMessages` GetQueueAttributes; `grantRead`
 * DescribeSecret). The infra tests list them per function, so a new call needs a deliberate change here.
 */
export const FUNCTION_ACTIONS = {
  ingest: {
    /** One SendMessage per verified event. */
    queue: ['sqs:SendMessage'],
    /** The signing secrets, read at cold start and on a signature that matches no cached secret. */
    webhookSecret: ['secretsmanager:GetSecretValue'],
  },
  worker: {
    /**
     * Claim (PutItem; its failed condition returns the stored item, ALL_OLD), take over and finish (UpdateItem,
     * also inside the commit's TransactWriteItems, which IAM checks per item).
     */
    ledger: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    /** The deauthorization read (GetItem), the commit's state updates and its deauthorization guard (ConditionCheckItem). */
    state: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
    /** The Stripe API key, for thin-event fetches and custom handlers (`workerStripeApiAccess`, on by default). */
    stripeApiKey: ['secretsmanager:GetSecretValue'],
  },
} as const;

const SECRET_VALUE_ACTIONS = ['secretsmanager:GetSecretValue'];

/** What a producer of an SSE-KMS queue needs of its key: a data key to encrypt with, and to decrypt it. */
const QUEUE_PRODUCER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
/** What CDK's own table grants give on a customer-managed table key for reading and writing items. */
const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Key actions on this key alone, in the grantee's policy. (`IKey.grant` falls back to every resource, `*`, for a
 * key it cannot place; the key policy of a customer-managed key must trust the account's IAM policies, which is
 * KMS's and CDK's default key policy.)
 */
const grantKey = (grantee: IGrantable, key: IKey | undefined, actions: readonly string[]): void => {
  if (key !== undefined) Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [key.keyArn] });
};

/** Reading and writing items of tables encrypted with `key` (nothing when the tables use DynamoDB's own key). */
export const grantTableKey = (grantee: IGrantable, key: IKey | undefined): void => grantKey(grantee, key, TABLE_KEY_ACTIONS);

/** GetSecretValue on one secret (a partial ARN gets Secrets Manager's random suffix), and decrypting with its key. */
export const grantSecretValue = (secret: ISecret, grantee: IGrantable): void => {
  Grant.addToPrincipal({ grantee, actions: SECRET_VALUE_ACTIONS, resourceArns: [secret.secretFullArn ?? `${secret.secretArn}-??????`] });
  secret.encryptionKey?.grantDecrypt(grantee);
};

/** The ingest: send to the queue, read the signing secrets. */
/** SendMessage on the queue, and the key's data-key actions when the queue is encrypted with a customer-managed key. */
export const grantQueueSend = (grantee: IGrantable, queue: IQueue, key: IKey | undefined): void => {
  queue.grant(grantee, ...FUNCTION_ACTIONS.ingest.queue);
  grantKey(grantee, key, QUEUE_PRODUCER_KEY_ACTIONS);
};

export const grantIngestAccess = (options: { readonly grantee: IGrantable; readonly queue: IQueue; readonly webhookSecret: ISecret; readonly encryptionKey?: IKey }): void => {
  grantQueueSend(options.grantee, options.queue, options.encryptionKey);
  grantSecretValue(options.webhookSecret, options.grantee);
};

/**
 * The worker: its ledger and state calls, and the Stripe API key only when it may use Stripe. Consuming the queue
 * is granted by its SQS event source.
 */
export const grantWorkerAccess = (options: {
  readonly grantee: IGrantable;
  readonly ledgerTable: ITableV2;
  readonly stateTable: ITableV2;
  readonly stripeApiKeySecret?: ISecret;
  readonly encryptionKey?: IKey;
}): void => {
  options.ledgerTable.grant(options.grantee, ...FUNCTION_ACTIONS.worker.ledger);
  options.stateTable.grant(options.grantee, ...FUNCTION_ACTIONS.worker.state);
  grantTableKey(options.grantee, options.encryptionKey);
  if (options.stripeApiKeySecret !== undefined) grantSecretValue(options.stripeApiKeySecret, options.grantee);
};
