import { Duration, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant } from 'aws-cdk-lib/aws-iam';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { createWebhookFunction } from './webhook-function';
import type { WebhookFunction } from './webhook-function';
import { grantQueueSend, grantSecretValue, grantTableKey } from './function-access';
import { RECONCILER_PARTITION, scopeDirectoryPartitionOf } from '../functions/core/state/account-keys';

/** The state table partitions the reconciler may write: its cursors and its lease. */
export const RECONCILER_WRITE_PARTITIONS: readonly string[] = [RECONCILER_PARTITION];
/** The state table partitions it may read: its own, and the directory of accounts the worker keeps. */
export const RECONCILER_READ_PARTITIONS: readonly string[] = [RECONCILER_PARTITION, scopeDirectoryPartitionOf(true), scopeDirectoryPartitionOf(false)];

/** Narrows a grant on the state table to items whose partition key is one of `partitions` (`dynamodb:LeadingKeys`). */
const onlyPartitions = (grant: Grant, partitions: readonly string[]): void => {
  for (const statement of grant.principalStatements) statement.addCondition('ForAllValues:StringEquals', { 'dynamodb:LeadingKeys': [...partitions] });
};

/** How long one run may take; a longer reconciliation stops before it and the next run continues. */
export const RECONCILER_TIMEOUT = Duration.minutes(5);

/** What {@link createReconciler} builds. */
export interface Reconciler extends WebhookFunction {
  /** The EventBridge rule running the reconciler; absent when `reconcilerEnabled` is false. */
  readonly schedule: Rule | undefined;
}

/**
 * The reconciler: a function that lists recent events from Stripe's Events API (the platform's, then each
 * checked account's) and enqueues those the ledger lacks, run by an EventBridge schedule. Built in `scope` with the
 * IDs `Reconciler`, `ReconcilerLogs`, `ReconcilerRole` and `ReconcileSchedule`.
 *
 * One run at a time without reserved concurrency (which new accounts' low concurrency quotas refuse): each run takes
 * a lease item in the state table with a conditional write, and a run that finds it held reads nothing. Each run
 * stops starting pages 30 s before its timeout; cursors are saved per page, so the next run continues. Each
 * scheduled run is one attempt, without Lambda's retries, and a failed run raises the reconciler-errors alarm.
 */
export const createReconciler = (
  scope: Construct,
  options: {
    readonly enabled: boolean;
    readonly schedule: Duration;
    /** Accounts to check besides the platform; empty for the directory's recently active accounts. */
    readonly accounts: readonly string[];
    readonly activeDays: number;
    readonly queue: Queue;
    readonly ledgerTable: TableV2;
    readonly stateTable: TableV2;
    readonly apiKeySecret: ISecret;
    /** The tables' and queues' customer-managed key. @default - none: AWS-owned keys */
    readonly encryptionKey?: IKey;
    readonly logRetention: RetentionDays;
    readonly removalPolicy: RemovalPolicy;
    readonly applicationLogLevel: ApplicationLogLevel;
  },
): Reconciler => {
  const reconciler = createWebhookFunction(scope, 'Reconciler', {
    entry: 'reconciler/handler.ts',
    withoutDeadLetterQueue:
      'The reconciler is invoked asynchronously by its EventBridge schedule only, always with the same empty scheduled event: a dead-letter queue would keep copies of an event that carries nothing. A failed run loses nothing: the next scheduled run resumes from the cursors in the state table, and the reconciler-errors alarm reports the failure.',
    // Listing pages of events and checking each page against the ledger is I/O-bound and holds one page per scope
    // read side by side; 512 MB gives a quick cold start (the bench's run peaks far below it).
    memorySize: 512,
    timeout: RECONCILER_TIMEOUT,
    environment: {
      QUEUE_URL: options.queue.queueUrl,
      LEDGER_TABLE_NAME: options.ledgerTable.tableName,
      STATE_TABLE_NAME: options.stateTable.tableName,
      STRIPE_API_KEY_SECRET_ID: options.apiKeySecret.secretArn,
      RECONCILE_ACTIVE_DAYS: String(options.activeDays),
      ...(options.accounts.length > 0 ? { RECONCILE_ACCOUNTS: options.accounts.join(',') } : {}),
    },
    logRetention: options.logRetention,
    removalPolicy: options.removalPolicy,
    applicationLogLevel: options.applicationLogLevel,
  });
  const { fn } = reconciler;
  // No retries: the next run is the retry. A run still queued when the next is due is dropped, so late runs never
  // pile up in Lambda's asynchronous queue (and the lease turns away one that starts while another runs).
  fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: clamp(options.schedule, Duration.minutes(1), Duration.hours(6)) });
  Validations.of(fn.node.findChild('EventInvokeConfig')).acknowledge({
    id: 'Serverless-LambdaAsyncFailureDestination',
    reason:
      'The only asynchronous invocations are the EventBridge schedule\'s, each carrying the same empty scheduled event, so an on-failure destination would store nothing worth replaying. The next run resumes from the cursors (saved after every page read), and the reconciler-errors alarm reports each failed run.',
  });

  // Grants only: the ledger to compare with (BatchGetItem, never a Scan), the state table for its own items (cursors
  // and lease: written only in the RECONCILER partition) and the account directory (read), the queue to enqueue
  // missing events, and the API key.
  options.ledgerTable.grants.actions(fn, 'dynamodb:BatchGetItem');
  onlyPartitions(options.stateTable.grants.actions(fn, 'dynamodb:GetItem', 'dynamodb:Query'), RECONCILER_READ_PARTITIONS);
  onlyPartitions(options.stateTable.grants.actions(fn, 'dynamodb:PutItem', 'dynamodb:UpdateItem'), RECONCILER_WRITE_PARTITIONS);
  // Table grants by action do not cover a customer-managed key (the queue's sendMessages grant does).
  grantTableKey(fn, options.encryptionKey);
  grantQueueSend(fn, options.queue, options.encryptionKey);
  grantSecretValue(options.apiKeySecret, fn);

  const schedule = options.enabled ? createSchedule(scope, reconciler, options.schedule) : undefined;
  return { ...reconciler, schedule };
};

const createSchedule = (scope: Construct, reconciler: WebhookFunction, every: Duration): Rule => {
  const rule = new Rule(scope, 'ReconcileSchedule', {
    description: `Runs the Stripe reconciler every ${every.toHumanString()}`,
    schedule: Schedule.rate(every),
    targets: [new LambdaFunction(reconciler.fn)],
  });
  Validations.of(rule).acknowledge({
    id: 'Serverless-EventBusDLQ',
    reason:
      'The rule\'s only target is the reconciler, and its events are schedule ticks with no content: an undelivered tick loses nothing, because the next one runs the same reconciliation from the stored cursors. A dead-letter queue would hold empty ticks and need an alarm of its own; the reconciler-errors alarm and the dashboard\'s invocation count show missing or failing runs.',
  });
  return rule;
};

const clamp = (value: Duration, min: Duration, max: Duration): Duration =>
  Duration.seconds(Math.min(Math.max(value.toSeconds(), min.toSeconds()), max.toSeconds()));
