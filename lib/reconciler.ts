import { Duration, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { createWebhookFunction } from './webhook-function';
import type { WebhookFunction } from './webhook-function';

/** How long one run may take: the platform plus every checked account, one Events API page per 100 events. */
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
 * One run at a time (reserved concurrency 1): two runs would list the same events and move the same cursors.
 * Each scheduled run is one attempt, without Lambda's retries: the next run resumes from the cursors, which a scope
 * saves only once it was read completely, and a failure raises the reconciler-errors alarm.
 */
export const createReconciler = (
  scope: Construct,
  options: {
    readonly enabled: boolean;
    readonly schedule: Duration;
    /** Accounts to check besides the platform; empty for the accounts with recent ledger activity. */
    readonly accounts: readonly string[];
    readonly activeDays: number;
    readonly queue: Queue;
    readonly ledgerTable: TableV2;
    readonly stateTable: TableV2;
    readonly apiKeySecret: ISecret;
    readonly logRetention: RetentionDays;
    readonly removalPolicy: RemovalPolicy;
    readonly applicationLogLevel: ApplicationLogLevel;
  },
): Reconciler => {
  const reconciler = createWebhookFunction(scope, 'Reconciler', {
    entry: 'reconciler/handler.ts',
    withoutDeadLetterQueue:
      'The reconciler is invoked asynchronously by its EventBridge schedule only, always with the same empty scheduled event: a dead-letter queue would keep copies of an event that carries nothing. A failed run loses nothing: the next scheduled run resumes from the cursors in the state table, and the reconciler-errors alarm reports the failure.',
    // Listing pages of events and checking each against the ledger is I/O-bound; 512 MB gives a quick cold start
    // and room for the ledger scan that finds the recently active accounts.
    memorySize: 512,
    timeout: RECONCILER_TIMEOUT,
    reservedConcurrentExecutions: 1,
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
  // No retries: the next run is the retry. A run that waits for the one before it (reserved concurrency) is dropped
  // once the next is due, so late runs never pile up in Lambda's asynchronous queue.
  fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: clamp(options.schedule, Duration.minutes(1), Duration.hours(6)) });
  Validations.of(fn.node.findChild('EventInvokeConfig')).acknowledge({
    id: 'Serverless-LambdaAsyncFailureDestination',
    reason:
      'The only asynchronous invocations are the EventBridge schedule\'s, each carrying the same empty scheduled event, so an on-failure destination would store nothing worth replaying. The next run resumes from the cursors (saved per scope only after a complete read), and the reconciler-errors alarm reports each failed run.',
  });

  // Grants only: the ledger to compare with (GetItem, and Scan for the recently active accounts), the state table
  // for the cursors (RECONCILER partition), the queue to enqueue missing events, and the API key.
  options.ledgerTable.grants.readData(fn);
  options.stateTable.grants.readWriteData(fn);
  options.queue.grants.sendMessages(fn);
  options.apiKeySecret.grantRead(fn);

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
