import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import type { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import { LOG_METRICS } from '../../lib/log-metrics';
import type { LogMetricName } from '../../lib/log-metrics';
import type { AlarmName } from '../../lib/observability';
import { logicalId as logicalIdIn, propertiesOf as propertiesIn, synthesize } from './fixture';

// Template assertions only: synthesized once, without bundling.
let stack: ConnectWebhooksStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesize({ id: 'ObservedStack' }));
});

const logicalId = (construct: IConstruct): string => logicalIdIn(construct, stack);
const alarmOf = (name: AlarmName) => stack.webhooks.observability.alarms[name];
const alarmProperties = (name: AlarmName): Record<string, unknown> => propertiesIn(template, 'AWS::CloudWatch::Alarm', logicalId(alarmOf(name)));
const namespace = 'ConnectWebhooks/ObservedStack';

/** The metric filter publishing one of the log metrics. */
const filterProperties = (name: LogMetricName): Record<string, unknown> => {
  const filters = template.findResources('AWS::Logs::MetricFilter', {
    Properties: { MetricTransformations: [Match.objectLike({ MetricName: LOG_METRICS[name].metricName, MetricNamespace: namespace })] },
  });
  const [filter, ...others] = Object.values(filters) as { Properties: Record<string, unknown> }[];
  if (filter === undefined || others.length > 0) throw new Error(`expected one metric filter for ${name}`);
  return filter.Properties;
};

describe('alarms watch the right metrics', () => {
  test('the DLQ alarm fires as soon as the dead-letter queue holds a visible message', () => {
    // Prepare
    const dlqId = logicalId(stack.webhooks.deadLetterQueue);

    // Act
    const properties = alarmProperties('deadLetterQueue');

    // Assess
    expect(properties).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      }),
    );
  });

  test('the backlog alarm watches the age of the oldest message in the event queue', () => {
    // Prepare
    const queueId = logicalId(stack.webhooks.queue);

    // Act
    const properties = alarmProperties('oldestMessage');

    // Assess
    expect(properties).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
  });

  test('the backlog threshold by default outlasts a failing message\'s way to the DLQ (5 receives × 181 s), plus 15 minutes', () => {
    // Prepare
    const visibilityTimeout = propertiesIn(template, 'AWS::SQS::Queue', logicalId(stack.webhooks.queue)).VisibilityTimeout as number;

    // Act
    const { Threshold } = alarmProperties('oldestMessage') as { Threshold: number };

    // Assess
    expect(Threshold).toBeGreaterThanOrEqual(5 * visibilityTimeout + 15 * 60);
  });

  test('oldestMessageAgeAlarmThreshold sets the backlog threshold', () => {
    // Prepare
    const other = synthesize({ webhooks: { oldestMessageAgeAlarmThreshold: Duration.minutes(10) } });

    // Act
    const assess = () => other.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 600 });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the worker errors alarm watches the worker\'s Lambda Errors', () => {
    // Prepare
    const workerId = logicalId(stack.webhooks.workerFunction);

    // Act
    const properties = alarmProperties('workerErrors');

    // Assess
    expect(properties).toEqual(
      expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: workerId } }], Statistic: 'Sum' }),
    );
  });

  test('the ingest 5xx alarm watches the HTTP API\'s 5xx count', () => {
    // Prepare
    const apiId = logicalId(stack.webhooks.httpApi);

    // Act
    const properties = alarmProperties('ingestServerErrors');

    // Assess
    expect(properties).toEqual(expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }], Statistic: 'Sum' }));
  });

  test('the signature failures alarm watches the signature-failure metric filter\'s metric', () => {
    // Prepare
    const { MetricTransformations } = filterProperties('signatureFailures') as { MetricTransformations: { MetricName: string; MetricNamespace: string }[] };

    // Act
    const properties = alarmProperties('signatureFailures');

    // Assess
    expect(properties).toEqual(expect.objectContaining({ Namespace: MetricTransformations[0]?.MetricNamespace, MetricName: MetricTransformations[0]?.MetricName, Statistic: 'Sum' }));
  });

  test('the signature failures alarm needs a rate (10 in 5 minutes), not one stray request', () => {
    // Prepare
    const alarm = 'signatureFailures';

    // Act
    const properties = alarmProperties(alarm);

    // Assess
    expect(properties).toEqual(expect.objectContaining({ Threshold: 10, Period: 300, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
  });

  test('the events failed alarm watches the failed-record metric filter\'s metric', () => {
    // Prepare
    const metricName = LOG_METRICS.failed.metricName;

    // Act
    const properties = alarmProperties('eventsFailed');

    // Assess
    expect(properties).toEqual(expect.objectContaining({ Namespace: namespace, MetricName: metricName }));
  });

  test('the reconciler errors alarm watches the reconciler\'s Lambda Errors, notifying the alarm topic', () => {
    // Prepare
    const reconcilerId = logicalId(stack.webhooks.reconcilerFunction);
    const topicId = logicalId(stack.webhooks.alarmTopic as Topic);

    // Act
    const properties = alarmProperties('reconcilerErrors');

    // Assess
    expect(properties).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: reconcilerId } }],
        Statistic: 'Sum',
        AlarmActions: [{ Ref: topicId }],
      }),
    );
  });

  test('the reconciler errors alarm fires on one failed run in 15 minutes', () => {
    // Prepare
    const alarm = 'reconcilerErrors';

    // Act
    const properties = alarmProperties(alarm);

    // Assess
    expect(properties).toEqual(expect.objectContaining({ Threshold: 1, Period: 900, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
  });

  test('the reconciler errors alarm spans a schedule interval past its period, so a run that keeps failing keeps it in ALARM', () => {
    // Prepare
    const other = synthesize({ webhooks: { reconcileSchedule: Duration.hours(1) } });

    // Act
    const assess = () => other.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'TestStack-reconciler-errors', Period: 900, EvaluationPeriods: 5, DatapointsToAlarm: 1 });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each([
    ['ingestThrottles', 'ingestFunction'],
    ['workerThrottles', 'workerFunction'],
  ] as const)('the %s alarm watches Lambda Throttles of the function', (alarm, fn) => {
    // Prepare
    const functionId = logicalId(stack.webhooks[fn]);

    // Act
    const properties = alarmProperties(alarm);

    // Assess
    expect(properties).toEqual(expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }] }));
  });
});

const ALARMS: AlarmName[] = [
  'deadLetterQueue',
  'oldestMessage',
  'workerErrors',
  'ingestServerErrors',
  'signatureFailures',
  'eventsFailed',
  'ingestThrottles',
  'workerThrottles',
  'reconcilerErrors',
];

describe('every alarm', () => {
  test.each(ALARMS)('%s notifies the alarm topic', (name) => {
    // Prepare
    const topicId = logicalId(stack.webhooks.alarmTopic as Topic);

    // Act
    const { AlarmActions } = alarmProperties(name);

    // Assess
    expect(AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test.each(ALARMS)('%s notifies the alarm topic when it returns to OK', (name) => {
    // Prepare
    const topicId = logicalId(stack.webhooks.alarmTopic as Topic);

    // Act
    const { OKActions } = alarmProperties(name);

    // Assess
    expect(OKActions).toEqual([{ Ref: topicId }]);
  });

  test.each(ALARMS)('%s treats missing data as not breaching (no data means no traffic or an idle queue)', (name) => {
    // Prepare
    const alarm = name;

    // Act
    const { TreatMissingData } = alarmProperties(alarm);

    // Assess
    expect(TreatMissingData).toBe('notBreaching');
  });

  test.each(ALARMS)('%s is named after the stack by default', (name) => {
    // Prepare
    const alarm = name;

    // Act
    const { AlarmName } = alarmProperties(alarm);

    // Assess
    expect(AlarmName).toMatch(/^ObservedStack-[a-z0-9-]+$/);
  });

  test('alarm names start with namePrefix', () => {
    // Prepare
    const other = synthesize({ webhooks: { namePrefix: 'payments-prod' } });

    // Act
    const names = Object.values(other.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => (alarm as { Properties: { AlarmName: string } }).Properties.AlarmName);

    // Assess
    expect(names.filter((name) => !name.startsWith('payments-prod-'))).toEqual([]);
  });
});

describe('log metrics', () => {
  test('signature failures count ingest lines refusing a webhook with a signature.* code', () => {
    // Prepare
    const ingestLogsId = logicalId(stack.webhooks.ingestLogGroup);

    // Act
    const properties = filterProperties('signatureFailures');

    // Assess
    expect(properties).toEqual(
      expect.objectContaining({ LogGroupName: { Ref: ingestLogsId }, FilterPattern: '{ $.message = "webhook refused" && $.code = "signature.*" }' }),
    );
  });

  test.each(['processed', 'stale', 'duplicate', 'ignored', 'failed', 'lag'] as const)('%s is read from the worker log group', (name) => {
    // Prepare
    const workerLogsId = logicalId(stack.webhooks.workerLogGroup);

    // Act
    const { LogGroupName } = filterProperties(name);

    // Assess
    expect(LogGroupName).toEqual({ Ref: workerLogsId });
  });

  test('a stale event is a processed line that applied nothing and found stale writes', () => {
    // Prepare
    const name = 'stale';

    // Act
    const { FilterPattern } = filterProperties(name);

    // Assess
    expect(FilterPattern).toBe('{ $.message = "event processed" && $.applied = 0 && $.stale > 0 }');
  });

  test('failed counts event failures, commit failures and records that could not be processed', () => {
    // Prepare
    const name = 'failed';

    // Act
    const { FilterPattern } = filterProperties(name);

    // Assess
    expect(FilterPattern).toBe('{ $.message = "event failed" || $.message = "commit failed" || $.message = "record failed" }');
  });

  test('the end-to-end lag takes its value, in milliseconds, from lagMs of processed lines', () => {
    // Prepare
    const name = 'lag';

    // Act
    const { FilterPattern, MetricTransformations } = filterProperties(name) as { FilterPattern: string; MetricTransformations: unknown[] };

    // Assess
    expect({ FilterPattern, MetricTransformations }).toEqual({
      FilterPattern: '{ $.message = "event processed" && $.lagMs = * }',
      MetricTransformations: [{ MetricName: 'EndToEndLag', MetricNamespace: namespace, MetricValue: '$.lagMs', Unit: 'Milliseconds' }],
    });
  });

  test('events found by the reconciler sum enqueued over its reconciled lines, from the reconciler log group', () => {
    // Prepare
    const reconcilerLogsId = logicalId(stack.webhooks.reconcilerLogGroup);

    // Act
    const { LogGroupName, FilterPattern, MetricTransformations } = filterProperties('reconcilerEnqueued') as { LogGroupName: unknown; FilterPattern: string; MetricTransformations: unknown[] };

    // Assess
    expect({ LogGroupName, FilterPattern, MetricTransformations }).toEqual({
      LogGroupName: { Ref: reconcilerLogsId },
      FilterPattern: '{ $.message = "reconciled" && $.enqueued = * }',
      MetricTransformations: [{ MetricName: 'ReconcilerEventsEnqueued', MetricNamespace: namespace, MetricValue: '$.enqueued', Unit: 'Count', DefaultValue: 0 }],
    });
  });

  test('the lag has no default value, which would drag its percentiles toward 0', () => {
    // Prepare
    const name = 'lag';

    // Act
    const { MetricTransformations } = filterProperties(name) as { MetricTransformations: Record<string, unknown>[] };

    // Assess
    expect(MetricTransformations[0]).not.toHaveProperty('DefaultValue');
  });
});

const ONCALL_TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:oncall';

/** A topic owned elsewhere, as a platform's on-call topic would be. */
const existingTopic = () => Topic.fromTopicArn(new Stack(undefined, 'Shared'), 'Oncall', ONCALL_TOPIC_ARN);

describe('alarm topic', () => {
  test('is encrypted with a customer-managed key with rotation', () => {
    // Prepare
    const topicId = logicalId(stack.webhooks.alarmTopic as Topic);

    // Act
    const { KmsMasterKeyId } = propertiesIn(template, 'AWS::SNS::Topic', topicId) as { KmsMasterKeyId: { 'Fn::GetAtt': [string, string] } };

    // Assess
    expect(propertiesIn(template, 'AWS::KMS::Key', KmsMasterKeyId['Fn::GetAtt'][0])).toEqual(expect.objectContaining({ EnableKeyRotation: true }));
  });

  test('its key lets CloudWatch encrypt alarm notifications (the AWS-managed aws/sns key would not)', () => {
    // Prepare
    const statement = Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });

    // Act
    const assess = () => template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([statement]) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('lets only this stack\'s alarms publish through CloudWatch', () => {
    // Prepare
    const topicId = logicalId(stack.webhooks.alarmTopic as Topic);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: { ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':alarm:ObservedStack-*'])] }) } },
            }),
          ]),
        },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('denies publishing without TLS', () => {
    // Prepare
    const topicId = logicalId(stack.webhooks.alarmTopic as Topic);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('has no subscription unless alarmEmail is set', () => {
    // Prepare
    const subscriptions = template.findResources('AWS::SNS::Subscription');

    // Act
    const count = Object.keys(subscriptions).length;

    // Assess
    expect(count).toBe(0);
  });

  test('alarmEmail subscribes the address to the alarm topic', () => {
    // Prepare
    const other = synthesize({ webhooks: { alarmEmail: 'ops@example.com' } });

    // Act
    const assess = () =>
      other.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: logicalIdIn(other.stack.webhooks.alarmTopic as Topic, other.stack) },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('an existing alarmTopic receives every alarm', () => {
    // Prepare
    const other = synthesize({ webhooks: { alarmTopic: existingTopic() } });

    // Act
    const actions = Object.values(other.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => (alarm as { Properties: { AlarmActions: unknown } }).Properties.AlarmActions);

    // Assess
    expect(new Set(actions.map((action) => JSON.stringify(action)))).toEqual(new Set([JSON.stringify([ONCALL_TOPIC_ARN])]));
  });

  test('with an existing alarmTopic, no topic is created', () => {
    // Prepare
    const other = synthesize({ webhooks: { alarmTopic: existingTopic() } });

    // Act
    const topics = other.template.findResources('AWS::SNS::Topic');

    // Assess
    expect(Object.keys(topics)).toEqual([]);
  });

  test('alarmTopic and alarmEmail together fail synth', () => {
    // Prepare
    const topic = existingTopic();

    // Act
    const synth = () => synthesize({ webhooks: { alarmTopic: topic, alarmEmail: 'ops@example.com' } });

    // Assess
    expect(synth).toThrow('set alarmTopic or alarmEmail, not both');
  });
});

describe('dashboard', () => {
  const body = (): string => JSON.stringify(propertiesIn(template, 'AWS::CloudWatch::Dashboard', logicalId(stack.webhooks.observability.dashboard)).DashboardBody);

  test('is named after the stack by default', () => {
    // Prepare
    const dashboard = stack.webhooks.observability.dashboard;

    // Act
    const { DashboardName } = propertiesIn(template, 'AWS::CloudWatch::Dashboard', logicalId(dashboard));

    // Assess
    expect(DashboardName).toBe('ObservedStack');
  });

  test('graphs the end-to-end lag metric', () => {
    // Prepare
    const lag = LOG_METRICS.lag.metricName;

    // Act
    const text = body();

    // Assess
    expect(text).toContain(`\\"${lag}\\"`);
  });

  test.each(['processed', 'stale', 'duplicate', 'ignored', 'failed'] as const)('graphs the %s count', (name) => {
    // Prepare
    const metricName = LOG_METRICS[name].metricName;

    // Act
    const text = body();

    // Assess
    expect(text).toContain(`\\"${metricName}\\"`);
  });

  test.each(['Count', '4xx', '5xx'])('graphs the ingest requests\' %s', (metricName) => {
    // Prepare
    const expected = `\\"AWS/ApiGateway\\",\\"${metricName}\\"`;

    // Act
    const text = body();

    // Assess
    expect(text).toContain(expected);
  });

  test.each(['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateAgeOfOldestMessage'])('graphs the event queue\'s %s', (metricName) => {
    // Prepare
    const expected = `\\"AWS/SQS\\",\\"${metricName}\\"`;

    // Act
    const text = body();

    // Assess
    expect(text).toContain(expected);
  });

  test('graphs the worker duration at p50 and p99', () => {
    // Prepare
    const expected = ['\\"stat\\":\\"p50\\"', '\\"stat\\":\\"p99\\"', '\\"AWS/Lambda\\",\\"Duration\\"'];

    // Act
    const text = body();

    // Assess
    expect(expected.filter((fragment) => !text.includes(fragment))).toEqual([]);
  });

  test('graphs the events found by the reconciler', () => {
    // Prepare
    const metricName = LOG_METRICS.reconcilerEnqueued.metricName;

    // Act
    const text = body();

    // Assess
    expect(text).toContain(`\\"${metricName}\\"`);
  });

  test.each(['Invocations', 'Errors'])('graphs the reconciler\'s %s', (metricName) => {
    // Prepare
    const reconcilerId = logicalId(stack.webhooks.reconcilerFunction);

    // Act
    const text = body();

    // Assess
    expect(text).toContain(`\\"AWS/Lambda\\",\\"${metricName}\\",\\"FunctionName\\",\\"",${JSON.stringify({ Ref: reconcilerId })}`);
  });

  test('DashboardUrl opens the dashboard in the CloudWatch console', () => {
    // Prepare
    const dashboardId = logicalId(stack.webhooks.observability.dashboard);

    // Act
    const value = JSON.stringify(template.findOutputs('DashboardUrl').DashboardUrl?.Value);

    // Assess
    expect(value).toContain(`#dashboards/dashboard/",{"Ref":"${dashboardId}"}`);
  });
});
