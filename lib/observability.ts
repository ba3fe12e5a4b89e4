import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, AlarmStatusWidget, ComparisonOperator, Dashboard, GraphWidget, GraphWidgetView, TextWidget, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createAlarmTopic } from './alarm-topic';
import { createLogMetrics } from './log-metrics';
import type { LogMetricName } from './log-metrics';

/** The alarms, by role. */
export type AlarmName =
  | 'deadLetterQueue'
  | 'oldestMessage'
  | 'workerErrors'
  | 'ingestServerErrors'
  | 'signatureFailures'
  | 'eventsFailed'
  | 'ingestThrottles'
  | 'workerThrottles'
  | 'reconcilerErrors'
  | 'reconcilerScopesFailed';

/** Properties of {@link WebhookObservability}. */
export interface WebhookObservabilityProps {
  /** Prefix of the dashboard name, the alarm names and the log metrics' namespace. */
  readonly namePrefix: string;
  /** @default - a KMS-encrypted topic is created */
  readonly alarmTopic?: ITopic;
  /** @default - no subscription */
  readonly alarmEmail?: string;
  readonly httpApi: HttpApi;
  readonly ingest: { readonly fn: IFunction; readonly logGroup: ILogGroup };
  readonly worker: { readonly fn: IFunction; readonly logGroup: ILogGroup };
  readonly reconciler: { readonly fn: IFunction; readonly logGroup: ILogGroup };
  /** How often the reconciler runs, so its alarm spans the gap between two runs. */
  readonly reconcileSchedule: Duration;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Oldest-message age that raises the backlog alarm. */
  readonly oldestMessageAgeAlarmThreshold: Duration;
}

/** One evaluation window for every alarm: SQS publishes once a minute, irregularly; five minutes do not flap. */
const ALARM_PERIOD = Duration.minutes(5);
/** Refused signatures in one period above which someone should look: a broken or missing secret, or probing. */
const SIGNATURE_FAILURE_THRESHOLD = 10;
/** Failed records in one period that make a burst (a broken deploy, DynamoDB trouble) rather than one retried event. */
const EVENTS_FAILED_THRESHOLD = 5;
/** The reconciler's alarm and graphs: one scheduled run per period by default. */
const RECONCILER_PERIOD = Duration.minutes(15);

/**
 * Alarms to an SNS topic, metrics from the functions' JSON logs, and one dashboard: what an operator needs to see
 * that events arrive, are verified, queue up and get processed.
 */
export class WebhookObservability extends Construct {
  /** Where every alarm (and its return to OK) is sent. */
  readonly alarmTopic: ITopic;
  /** The log metrics, by name; their namespace is `ConnectWebhooks/<namePrefix>`. */
  readonly logMetrics: Readonly<Record<LogMetricName, Metric>>;
  readonly alarms: Readonly<Record<AlarmName, Alarm>>;
  readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console. */
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: WebhookObservabilityProps) {
    super(scope, id);
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, props);
    this.logMetrics = createLogMetrics(this, {
      namespace: `ConnectWebhooks/${props.namePrefix}`,
      logGroups: { ingest: props.ingest.logGroup, worker: props.worker.logGroup, reconciler: props.reconciler.logGroup },
      period: ALARM_PERIOD,
    });
    this.alarms = this.createAlarms(props);
    const action = new SnsAction(this.alarmTopic);
    for (const alarm of Object.values(this.alarms)) {
      alarm.addAlarmAction(action);
      // The all-clear goes to the same people, so nobody keeps working on a resolved alarm.
      alarm.addOkAction(action);
    }
    this.dashboard = this.createDashboard(props);
    const region = Stack.of(this).region;
    this.dashboardUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${this.dashboard.dashboardName}`;
  }

  private createAlarms(props: WebhookObservabilityProps): Record<AlarmName, Alarm> {
    const alarm = (
      id: string,
      options: { name: string; description: string; metric: IMetric; threshold: number; comparison: ComparisonOperator; missing: TreatMissingData; evaluationPeriods?: number },
    ) =>
      new Alarm(this, id, {
        alarmName: `${props.namePrefix}-${options.name}`,
        alarmDescription: options.description,
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: options.comparison,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        // Over a longer window, one breaching period is still enough to alarm.
        ...(options.evaluationPeriods === undefined ? {} : { datapointsToAlarm: 1 }),
        treatMissingData: options.missing,
      });
    const atLeastOne = { threshold: 1, comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD } as const;
    return {
      deadLetterQueue: alarm('DeadLetterQueueAlarm', {
        name: 'dead-letter-queue-not-empty',
        description: 'Events failed maxReceiveCount times and wait in the DLQ. Read the worker logs for their eventId, fix the cause, then "Start DLQ redrive" in the SQS console.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD }),
        threshold: 0,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        // SQS stops publishing for a queue that has been empty and untouched for six hours: that is the good case.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      oldestMessage: alarm('OldestMessageAlarm', {
        name: 'event-queue-backlog',
        description: `An event has waited more than ${props.oldestMessageAgeAlarmThreshold.toHumanString()} in the queue: the worker is stalled, throttled or failing. Check the worker errors, throttles and logs.`,
        metric: props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ALARM_PERIOD }),
        threshold: props.oldestMessageAgeAlarmThreshold.toSeconds(),
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No data means an idle, empty queue; a queue holding messages is active and always reports its age.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      workerErrors: alarm('WorkerErrorsAlarm', {
        name: 'worker-errors',
        description: 'The worker invocation itself failed (crash, timeout, out of memory), so its whole batch is retried. Handler failures are not counted here; see the events-failed alarm.',
        metric: props.worker.fn.metricErrors({ statistic: 'Sum', period: ALARM_PERIOD }),
        ...atLeastOne,
        // Lambda publishes Errors only for periods with invocations: no data means no work, not a failure.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      ingestServerErrors: alarm('IngestServerErrorsAlarm', {
        name: 'ingest-5xx',
        description: 'The webhook API answered Stripe with a 5xx (queue unavailable, missing secrets, ingest crash); Stripe retries. Read the ingest logs for "webhook refused" lines with status 5xx.',
        metric: props.httpApi.metricServerError({ statistic: 'Sum', period: ALARM_PERIOD }),
        ...atLeastOne,
        // API Gateway publishes nothing for a period without requests.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      signatureFailures: alarm('SignatureFailuresAlarm', {
        name: 'signature-failures',
        description: `${SIGNATURE_FAILURE_THRESHOLD} or more webhook calls in 5 minutes failed signature verification: a secret missing from Secrets Manager (see "connect-webhooks secrets set"), a rotation gone wrong, or someone probing the endpoint.`,
        metric: this.logMetrics.signatureFailures,
        threshold: SIGNATURE_FAILURE_THRESHOLD,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No matching log lines, or no requests at all: nothing was refused.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      eventsFailed: alarm('EventsFailedAlarm', {
        name: 'events-failed',
        description: `At least ${EVENTS_FAILED_THRESHOLD} records failed in 5 minutes (handler threw, commit failed, ledger unreachable) and will be retried. Read the worker's "event failed" and "commit failed" lines.`,
        metric: this.logMetrics.failed,
        threshold: EVENTS_FAILED_THRESHOLD,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No worker logs means no work.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      ingestThrottles: alarm('IngestThrottlesAlarm', {
        name: 'ingest-throttles',
        description: 'Lambda throttled the ingest (account concurrency exhausted): Stripe got errors and retries. Raise the account limit or reserve concurrency.',
        metric: props.ingest.fn.metricThrottles({ statistic: 'Sum', period: ALARM_PERIOD }),
        ...atLeastOne,
        // Lambda publishes Throttles only for periods with invocation attempts.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      workerThrottles: alarm('WorkerThrottlesAlarm', {
        name: 'worker-throttles',
        description: 'Lambda throttled the worker: the account is out of concurrency below maxConcurrency. Events wait in the queue; raise the account limit or lower maxConcurrency.',
        metric: props.worker.fn.metricThrottles({ statistic: 'Sum', period: ALARM_PERIOD }),
        ...atLeastOne,
        // Lambda publishes Throttles only for periods with invocation attempts.
        missing: TreatMissingData.NOT_BREACHING,
      }),
      reconcilerErrors: alarm('ReconcilerErrorsAlarm', {
        name: 'reconciler-errors',
        description:
          'A reconciler run failed: no Stripe API key stored (see StripeApiKeySecretName), a key without read access to Events, Stripe or DynamoDB unreachable, or a timeout. Missed events are not being recovered until a run succeeds; the next run resumes from the cursors. Read the reconciler log.',
        metric: props.reconciler.fn.metricErrors({ statistic: 'Sum', period: RECONCILER_PERIOD }),
        ...atLeastOne,
        // Periods without a run publish nothing. The window spans one schedule interval past the period, so a run
        // that keeps failing keeps the alarm in ALARM even when a period happens to hold no run.
        evaluationPeriods: 1 + Math.ceil(props.reconcileSchedule.toSeconds() / RECONCILER_PERIOD.toSeconds()),
        missing: TreatMissingData.NOT_BREACHING,
      }),
      reconcilerScopesFailed: alarm('ReconcilerScopesFailedAlarm', {
        name: 'reconciler-scopes-failed',
        description:
          'A reconciler run could not check one or more scopes (an account, or the platform) and went on with the others. Read its "reconcile scope failed" lines: refused: true is an account Stripe refuses (it disconnected the platform and its deauthorization never arrived; it leaves the directory after reconcileActiveDays without events), otherwise Stripe, DynamoDB or SQS errors. The failed scope is retried by the next run.',
        metric: this.logMetrics.reconcilerScopesFailed.with({ period: RECONCILER_PERIOD }),
        ...atLeastOne,
        // Runs that fail no scope log no such line.
        missing: TreatMissingData.NOT_BREACHING,
      }),
    };
  }

  private createDashboard(props: WebhookObservabilityProps): Dashboard {
    const minute = Duration.minutes(1);
    const api = props.httpApi;
    const events = (name: LogMetricName, label: string) => this.logMetrics[name].with({ period: minute, label });
    const lag = (statistic: string) => this.logMetrics.lag.with({ statistic, period: minute, label: `lag ${statistic}` });
    const graph = (title: string, left: IMetric[], options: { right?: IMetric[]; width?: number; stacked?: boolean } = {}) =>
      new GraphWidget({ title, left, right: options.right ?? [], width: options.width ?? 8, height: 6, stacked: options.stacked ?? false, view: GraphWidgetView.TIME_SERIES });
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.namePrefix, defaultInterval: Duration.hours(3) });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${props.namePrefix}\nStripe → HTTP API → ingest → SQS → worker → DynamoDB; the reconciler → SQS for events Stripe did not deliver. Counts are per minute (the reconciler's per 15 minutes); events come from the functions' JSON logs.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24, height: 3 }));
    dashboard.addWidgets(
      graph('Ingest requests by status', [
        api.metricCount({ statistic: 'Sum', period: minute, label: 'requests' }),
        api.metricClientError({ statistic: 'Sum', period: minute, label: '4xx' }),
        api.metricServerError({ statistic: 'Sum', period: minute, label: '5xx' }),
      ]),
      graph('Refused signatures', [this.logMetrics.signatureFailures.with({ period: minute, label: 'signature failures' })]),
      graph('Ingest latency (ms)', [api.metricLatency({ statistic: 'p50', period: minute, label: 'p50' }), api.metricLatency({ statistic: 'p99', period: minute, label: 'p99' })]),
    );
    dashboard.addWidgets(
      graph(
        'Event queue',
        [
          props.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute, label: 'visible' }),
          props.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: 'Maximum', period: minute, label: 'in flight' }),
        ],
        { right: [props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: minute, label: 'oldest message age (s)' })] },
      ),
      graph('Dead-letter queue', [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute, label: 'messages' })]),
      graph('Worker duration (ms)', [
        props.worker.fn.metricDuration({ statistic: 'p50', period: minute, label: 'p50' }),
        props.worker.fn.metricDuration({ statistic: 'p99', period: minute, label: 'p99' }),
      ]),
    );
    dashboard.addWidgets(
      graph(
        'Worker outcomes',
        [events('processed', 'processed'), events('stale', 'of which stale'), events('duplicate', 'duplicate'), events('ignored', 'ignored'), events('failed', 'failed')],
        { width: 12 },
      ),
      graph('End-to-end lag (ms): event created → committed', [lag('p50'), lag('p99'), lag('Maximum')], { width: 12 }),
    );
    const reconciler = props.reconciler.fn;
    const perRun = { statistic: 'Sum', period: RECONCILER_PERIOD } as const;
    dashboard.addWidgets(
      graph('Reconciler runs (per 15 min)', [reconciler.metricInvocations({ ...perRun, label: 'runs' }), reconciler.metricErrors({ ...perRun, label: 'failed runs' })], {
        right: [reconciler.metricDuration({ statistic: 'Maximum', period: RECONCILER_PERIOD, label: 'duration max (ms)' })],
        width: 12,
      }),
      graph(
        'Events found by the reconciler (missed deliveries, enqueued; per 15 min)',
        [this.logMetrics.reconcilerEnqueued.with({ ...perRun, label: 'enqueued' }), this.logMetrics.reconcilerScopesFailed.with({ ...perRun, label: 'scopes failed' })],
        { width: 12 },
      ),
    );
    return dashboard;
  }
}
