import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StackTarget } from '../stack-target';
import { STACK_OUTPUT_KEYS } from '../stack-target';
import type { DoctorProbe, DoctorRoute } from './probe';
import { DOCTOR_ROUTES } from './probe';
import { deadLetterDepthOf, lastReconcilerCursorAt, secretListsOf } from './probe-reads';

/** The AWS SDK v3 clients the stack probe uses; tests pass clients pointed at loopback fakes. */
export interface StackProbeClients {
  readonly secretsManager: SecretsManagerClient;
  readonly sqs: SQSClient;
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly cloudWatch: CloudWatchClient;
}

/** Clients for the stack's region from the standard AWS settings (`AWS_ENDPOINT_URL_*`, profiles, SSO). */
export const createStackProbeClients = (region: string): StackProbeClients => ({
  secretsManager: new SecretsManagerClient({ region }),
  sqs: new SQSClient({ region, useQueueUrlAsEndpoint: false }),
  dynamoDb: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
  cloudWatch: new CloudWatchClient({ region }),
});

/** Outputs the doctor reads besides the ones every command uses; `ThinWebhookUrl` is optional. */
// The thin route's output is left to the thin checks, which warn "not configured" on a stack deployed before it existed.
const DOCTOR_OUTPUTS = [...Object.values(STACK_OUTPUT_KEYS).filter((key) => key !== STACK_OUTPUT_KEYS.thinWebhookUrl), 'DashboardUrl', 'ReconcilerFunctionName'] as const;
const ROUTE_OUTPUTS: Record<DoctorRoute, string> = { account: 'AccountWebhookUrl', connect: 'ConnectWebhookUrl', thin: 'ThinWebhookUrl' };
/** How far back the last processed event is looked for in the `EventsProcessed` log metric. */
const PROCESSED_LOOKBACK_SECONDS = 24 * 3600;

/** The dashboard's name is the construct's `namePrefix`, which also names the alarms and the log metrics' namespace. */
export const namePrefixOf = (dashboardUrl: string): string => {
  const name = dashboardUrl.split('#dashboards/dashboard/')[1];
  if (name === undefined || name === '') throw new Error(`DashboardUrl output "${dashboardUrl}" does not name a dashboard`);
  return decodeURIComponent(name);
};

/** The latest datapoint of one metric, with its time. */
const latestPoint = async (client: CloudWatchClient, query: MetricDataQuery, seconds: number, nowMs: number): Promise<{ at: number; value: number } | undefined> => {
  const result = await client.send(
    new GetMetricDataCommand({ StartTime: new Date(nowMs - seconds * 1000), EndTime: new Date(nowMs), ScanBy: 'TimestampDescending', MetricDataQueries: [{ ...query, ReturnData: true }] }),
  );
  const series = result.MetricDataResults?.[0];
  const index = (series?.Values ?? []).findIndex((value) => value > 0);
  const at = index < 0 ? undefined : series?.Timestamps?.[index];
  return at === undefined || series?.Values === undefined ? undefined : { at: at.getTime(), value: series.Values[index] as number };
};

/** A deployed stack as the doctor sees it, through its outputs and the SDK clients given. */
export const createStackProbe = (options: { readonly stack: StackTarget; readonly clients: StackProbeClients; readonly nowMs: () => number }): DoctorProbe => {
  const { stack, clients } = options;
  const output = (key: string): string | undefined => (stack.outputs[key] === '' ? undefined : stack.outputs[key]);
  const prefix = () => namePrefixOf(stack.outputs.DashboardUrl ?? '');
  const apiKeySecret = () => stack.resource('stripeApiKeySecretName');
  return {
    target: `stack ${stack.stackName} (${stack.region})`,
    hasStripeEndpoints: true,
    reconcilerScheduled: true,
    cli: (command) => `npx connect-webhooks ${command} --stack ${stack.stackName}`,
    apiKeyFix: `store a restricted key with read access to Events: aws secretsmanager put-secret-value --secret-id ${output('StripeApiKeySecretName') ?? '<StripeApiKeySecretName>'} --secret-string rk_live_…`,
    processedLookbackSeconds: PROCESSED_LOOKBACK_SECONDS,
    setupProblems: async () => {
      const missing = DOCTOR_OUTPUTS.filter((key) => output(key) === undefined);
      return missing.length === 0 ? [] : [`missing output${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`];
    },
    setupSummary: () => `${Object.keys(stack.outputs).length} outputs, every one the doctor reads${output('ThinWebhookUrl') === undefined ? '' : ' (thin route included)'}`,
    routeUrls: () => Object.fromEntries(DOCTOR_ROUTES.flatMap((route) => (output(ROUTE_OUTPUTS[route]) === undefined ? [] : [[route, output(ROUTE_OUTPUTS[route])]]))),
    secretLists: async () => {
      const result = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: stack.resource('webhookSecretName') }));
      return secretListsOf(result.SecretString);
    },
    stripeApiKey: async () => {
      try {
        const value = (await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: apiKeySecret() }))).SecretString?.trim();
        return value === undefined || value === '' ? undefined : value;
      } catch (error) {
        // A secret never written answers like a missing one: no key stored.
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    deadLetterDepth: () => deadLetterDepthOf(clients.sqs, stack.resource('deadLetterQueueUrl')),
    oldestMessageAgeSeconds: async () => {
      const queueName = stack.resource('queueUrl').split('/').pop() ?? '';
      const metric = { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: queueName }] };
      const point = await latestPoint(clients.cloudWatch, { Id: 'age', MetricStat: { Metric: metric, Period: 60, Stat: 'Maximum' } }, 15 * 60, options.nowMs());
      return point?.value;
    },
    lastProcessedAt: async () => {
      const metric = { Namespace: `ConnectWebhooks/${prefix()}`, MetricName: 'EventsProcessed' };
      const point = await latestPoint(clients.cloudWatch, { Id: 'processed', MetricStat: { Metric: metric, Period: 300, Stat: 'Sum' } }, PROCESSED_LOOKBACK_SECONDS, options.nowMs());
      // A 5-minute period's timestamp is its start: the event came within it.
      return point?.at;
    },
    reconcilerLastRunAt: () => lastReconcilerCursorAt(clients.dynamoDb, stack.resource('stateTableName')),
    alarmsInAlarm: async () => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${prefix()}-`, StateValue: 'ALARM', NextToken: token }));
        names.push(...(page.MetricAlarms ?? []).flatMap((alarm) => (alarm.AlarmName === undefined ? [] : [alarm.AlarmName])));
        names.push(...(page.CompositeAlarms ?? []).flatMap((alarm) => (alarm.AlarmName === undefined ? [] : [alarm.AlarmName])));
        token = page.NextToken;
      } while (token !== undefined);
      return names;
    },
    close: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
};
