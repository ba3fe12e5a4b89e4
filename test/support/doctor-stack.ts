import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { enabledEvents } from '../../cli/endpoints-command';
import { thinEnabledEvents } from '../../cli/event-destinations';
import { ensureQueues, ensureStateTable } from '../../local/resources';
import { useEnv } from './cli-runner';
import { newSigningSecret, startDeployedStackFakes } from './deployed-stack-fakes';
import type { DeployedStackFakes } from './deployed-stack-fakes';
import { startFakeCloudWatch } from './fake-cloudwatch';
import type { FakeCloudWatch } from './fake-cloudwatch';
import { startFakeStripe } from './fake-stripe';
import type { FakeStripe } from './fake-stripe';
import { uniqueName } from './pipeline-fixtures';

/** Everything a deployed stack is made of, faked on loopback: CloudFormation, Secrets Manager, CloudWatch, Stripe, plus the emulators' queues and table. */
export interface DoctorWorld {
  readonly aws: DeployedStackFakes;
  readonly cloudWatch: FakeCloudWatch;
  readonly stripe: FakeStripe;
  readonly sqs: SQSClient;
  /** Deploys a healthy stack: what each option leaves out or breaks is the one thing a test checks. */
  deploy(options?: HealthyStackOptions): Promise<DeployedStack>;
  stop(): Promise<void>;
}

export interface HealthyStackOptions {
  /** With a thin route: its output, its secret and a thin destination subscribed to every Accounts v2 type. */
  readonly thin?: boolean;
  /** Leaves these outputs out. */
  readonly omitOutputs?: readonly string[];
  /** The webhook secret's text instead of one secret per route. */
  readonly webhookSecret?: string;
  /** Leaves these endpoints / destinations out at Stripe. */
  readonly omitAtStripe?: ReadonlyArray<'account' | 'connect' | 'thin'>;
  /** Changes the endpoint (or destination) of a route as Stripe has it. */
  readonly endpointChanges?: Partial<Record<'account' | 'connect' | 'thin', Record<string, unknown>>>;
  /** No reconciler cursor in the state table. */
  readonly neverReconciled?: boolean;
  /** The stored Stripe API key. */
  readonly apiKey?: string;
}

export interface DeployedStack {
  readonly stack: string;
  readonly prefix: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly apiKey: string;
}

export const startDoctorWorld = async (): Promise<DoctorWorld> => {
  const aws = await startDeployedStackFakes();
  const [cloudWatch, stripe] = await Promise.all([startFakeCloudWatch(), startFakeStripe()]);
  const env = useEnv({ AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.endpoint, STRIPE_API_BASE_URL: stripe.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAFAKE', AWS_SECRET_ACCESS_KEY: 'fake' });
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const dynamoDb = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamoDb);

  const deploy = async (options: HealthyStackOptions = {}): Promise<DeployedStack> => {
    const prefix = uniqueName('doctor');
    const base = `https://${randomBytes(5).toString('hex')}.execute-api.us-east-1.amazonaws.com`;
    const stateTableName = `${prefix}-state`;
    await ensureStateTable(dynamoDb, stateTableName);
    const queues = await ensureQueues(sqs, { ledgerTableName: `${prefix}-ledger`, stateTableName, queueName: `${prefix}-events`, deadLetterQueueName: `${prefix}-dlq`, visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
    const apiKey = options.apiKey ?? `rk_test_${randomBytes(8).toString('hex')}`;
    const apiKeySecret = aws.secretsManager.create(`${prefix}-api-key`, apiKey);
    const secrets = { account: [newSigningSecret()], connect: [newSigningSecret()], ...(options.thin === true ? { thin: [newSigningSecret()] } : {}) };
    const outputs: Record<string, string> = {
      AccountWebhookUrl: `${base}/webhooks/account`,
      ConnectWebhookUrl: `${base}/webhooks/connect`,
      ...(options.thin === true ? { ThinWebhookUrl: `${base}/webhooks/thin` } : {}),
      QueueUrl: queues.queueUrl,
      DeadLetterQueueUrl: queues.deadLetterQueueUrl,
      LedgerTableName: `${prefix}-ledger`,
      StateTableName: stateTableName,
      StripeApiKeySecretName: apiKeySecret,
      DashboardUrl: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${prefix}`,
      ReconcilerFunctionName: `${prefix}-reconciler`,
    };
    for (const key of options.omitOutputs ?? []) delete outputs[key];
    const { stack } = aws.deploy({ value: options.webhookSecret ?? JSON.stringify(secrets), outputs });

    const omitted = options.omitAtStripe ?? [];
    const changes = options.endpointChanges ?? {};
    for (const route of ['account', 'connect'] as const) {
      if (omitted.includes(route)) continue;
      const endpoint = { id: `we_${prefix}_${route}`, object: 'webhook_endpoint', url: `${base}/webhooks/${route}`, application: route === 'connect' ? 'ca_fake' : null, status: 'enabled', enabled_events: enabledEvents(route === 'connect') };
      stripe.addEndpoint({ ...endpoint, ...changes[route] });
    }
    if (options.thin === true && !omitted.includes('thin')) {
      const destination = {
        id: `ed_${prefix}`, object: 'v2.core.event_destination', type: 'webhook_endpoint', event_payload: 'thin', events_from: ['@self', '@accounts'], status: 'enabled',
        enabled_events: thinEnabledEvents(), webhook_endpoint: { url: `${base}/webhooks/thin` }, livemode: false, name: prefix, description: '', created: '2026-01-01T00:00:00.000Z', updated: '2026-01-01T00:00:00.000Z',
      };
      stripe.addDestination({ ...destination, ...changes.thin });
    }
    if (options.neverReconciled !== true) {
      await documents.send(new PutCommand({ TableName: stateTableName, Item: { pk: 'RECONCILER', sk: 'CURSOR#platform', createdSince: Math.floor(Date.now() / 1000) - 300, updatedAt: new Date(Date.now() - 5 * 60_000).toISOString() } }));
    }
    cloudWatch.setMetric(`ConnectWebhooks/${prefix}/EventsProcessed`, [{ atMs: Date.now() - 10 * 60_000, value: 3 }]);
    cloudWatch.setAlarm(`${prefix}-dead-letter-queue-not-empty`, 'OK');
    return { stack, prefix, queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterQueueUrl, apiKey };
  };

  return {
    aws,
    cloudWatch,
    stripe,
    sqs,
    deploy,
    stop: async () => {
      env.restore();
      sqs.destroy();
      dynamoDb.destroy();
      await Promise.all([aws.stop(), cloudWatch.stop(), stripe.stop()]);
    },
  };
};
