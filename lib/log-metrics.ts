import type { Duration } from 'aws-cdk-lib';
import { Unit } from 'aws-cdk-lib/aws-cloudwatch';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Which function's log group a log metric reads. */
type LogSource = 'ingest' | 'worker' | 'reconciler';

interface LogMetricDefinition {
  readonly source: LogSource;
  readonly metricName: string;
  /** A JSON filter pattern over the functions' JSON log line (`message` plus the call's attributes). */
  readonly pattern: string;
  /** `1` per matching line, or a field holding the value. */
  readonly value: string;
  readonly unit: Unit;
}

/**
 * Metrics read from the functions' JSON log lines. The messages and fields are those logged by
 * `functions/ingest/create-handler.ts`, `functions/core/process-event.ts` and `functions/core/reconcile/run.ts`: rename
 * one there and its metric silently stays at zero.
 */
export const LOG_METRICS = {
  /** Requests refused because of their Stripe-Signature (code `signature.*`). */
  signatureFailures: {
    source: 'ingest',
    metricName: 'SignatureFailures',
    pattern: '{ $.message = "webhook refused" && $.code = "signature.*" }',
    value: '1',
    unit: Unit.COUNT,
  },
  /** Every event committed `processed`, stale ones included. */
  processed: { source: 'worker', metricName: 'EventsProcessed', pattern: '{ $.message = "event processed" }', value: '1', unit: Unit.COUNT },
  /** Processed events none of whose writes landed, because the stored state was newer. */
  stale: {
    source: 'worker',
    metricName: 'EventsStale',
    pattern: '{ $.message = "event processed" && $.applied = 0 && $.stale > 0 }',
    value: '1',
    unit: Unit.COUNT,
  },
  /** Deliveries of an event already processed, ignored or in flight elsewhere. */
  duplicate: { source: 'worker', metricName: 'DuplicateDeliveries', pattern: '{ $.message = "duplicate delivery" }', value: '1', unit: Unit.COUNT },
  /** Events acknowledged without running anything: refused mode, no handler, deauthorized account. */
  ignored: { source: 'worker', metricName: 'EventsIgnored', pattern: '{ $.message = "event ignored" }', value: '1', unit: Unit.COUNT },
  /** Records that will be retried: a handler threw, the commit failed, or the record could not be processed at all. */
  failed: {
    source: 'worker',
    metricName: 'EventsFailed',
    pattern: '{ $.message = "event failed" || $.message = "commit failed" || $.message = "record failed" }',
    value: '1',
    unit: Unit.COUNT,
  },
  /** From Stripe creating the event (`created`, whole seconds) to its commit here. */
  lag: {
    source: 'worker',
    metricName: 'EndToEndLag',
    // The field must appear in the pattern for its value to be published.
    pattern: '{ $.message = "event processed" && $.lagMs = * }',
    value: '$.lagMs',
    unit: Unit.MILLISECONDS,
  },
  /**
   * Events the reconciler found at Stripe but not in the ledger, and enqueued: missed deliveries. Summed over the
   * reconciler's one `reconciled` line per scope and source (the platform, then each checked account).
   */
  reconcilerEnqueued: {
    source: 'reconciler',
    metricName: 'ReconcilerEventsEnqueued',
    pattern: '{ $.message = "reconciled" && $.enqueued = * }',
    value: '$.enqueued',
    unit: Unit.COUNT,
  },
  /**
   * Scope × source checks that failed in a reconciler run (Stripe refused the account, Stripe, DynamoDB or SQS
   * errors): the run went on with the other scopes. One `reconcile scope failed` line each.
   */
  reconcilerScopesFailed: {
    source: 'reconciler',
    metricName: 'ReconcilerScopesFailed',
    pattern: '{ $.message = "reconcile scope failed" }',
    value: '1',
    unit: Unit.COUNT,
  },
} as const satisfies Record<string, LogMetricDefinition>;

/** Names of the metrics in {@link LOG_METRICS}. */
export type LogMetricName = keyof typeof LOG_METRICS;

/**
 * One metric filter per {@link LOG_METRICS} entry, in `scope` with the ID `<MetricName>Filter`. Returns the metrics
 * as sums over `period`.
 */
export const createLogMetrics = (
  scope: Construct,
  options: { readonly namespace: string; readonly logGroups: Readonly<Record<LogSource, ILogGroup>>; readonly period: Duration },
): Record<LogMetricName, Metric> => {
  const entries = (Object.entries(LOG_METRICS) as [LogMetricName, LogMetricDefinition][]).map(([name, definition]) => {
    const filter = new MetricFilter(scope, `${definition.metricName}Filter`, {
      logGroup: options.logGroups[definition.source],
      filterPattern: FilterPattern.literal(definition.pattern),
      metricNamespace: options.namespace,
      metricName: definition.metricName,
      metricValue: definition.value,
      unit: definition.unit,
      // Counts read 0 while logs flow without a match, so graphs show a line rather than gaps. The lag gets no
      // default: a made-up 0 would drag its percentiles down.
      ...(definition.unit === Unit.COUNT ? { defaultValue: 0 } : {}),
    });
    return [name, filter.metric({ statistic: 'Sum', period: options.period })] as const;
  });
  return Object.fromEntries(entries) as Record<LogMetricName, Metric>;
};
