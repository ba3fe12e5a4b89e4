import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createLedgerTable, createQueues, createStateTable, createStripeApiKeySecret, createWebhookSecret } from './data-stores';
import { grantIngestAccess, grantWorkerAccess } from './function-access';
import { WEBHOOK_PATHS, createWebhookHttpApi } from './http-api';
import { WebhookObservability } from './observability';
import { createReconciler } from './reconciler';
import { resolveSettings } from './settings';
import type { Settings, StripeConnectWebhooksProps } from './settings';
import { createWebhookFunction, invokedSynchronouslyBy } from './webhook-function';
import { createOriginAuthorizer, createWebhookFront } from './waf-front';
import type { WebhookFront } from './waf-front';
import { StripeEventBridgeDestination } from './eventbridge-destination';

export type { AcceptedLivemodes, StripeConnectWebhooksProps } from './settings';
export type { WebhookFrontProps } from './waf-front';

/** How long the ingest keeps the secret's lists before reading Secrets Manager again (it also rereads on a mismatch). */
const WEBHOOK_SECRET_CACHE_SECONDS = 300;

/**
 * Stripe webhooks for a Connect platform: an HTTP API whose ingest function verifies and enqueues events, an SQS
 * queue with a dead-letter queue, and a worker that runs each event once, tracked in a DynamoDB ledger, and projects
 * it into a DynamoDB table of Connect state. A scheduled reconciler finds events Stripe failed to deliver in its
 * Events API and enqueues them. Signing secrets and the Stripe API key live in Secrets Manager; alarms go to an SNS
 * topic; a dashboard shows the flow. cdk-nag findings that do not apply are acknowledged here, each with its reason.
 */
export class StripeConnectWebhooks extends Construct {
  /** The public HTTP API receiving Stripe's webhook calls. */
  readonly httpApi: HttpApi;
  /** The API's `$default` stage: throttling and access logs. */
  readonly httpStage: HttpStage;
  /** JSON access logs of the HTTP API. */
  readonly accessLogGroup: LogGroup;
  /** Verifies signatures and enqueues events; answers Stripe. */
  readonly ingestFunction: NodejsFunction;
  readonly ingestLogGroup: LogGroup;
  /** Consumes the queue and runs each event's handlers once. */
  readonly workerFunction: NodejsFunction;
  readonly workerLogGroup: LogGroup;
  /** Both endpoints' signing secrets, as JSON `{"account": ["whsec_…"], "connect": ["whsec_…"]}`. */
  readonly webhookSecret: Secret;
  /**
   * The Stripe API key as plain text, read by the reconciler and the worker (for custom handlers). The operator
   * stores a restricted key there (`rk_live_…` with read access to Events, plus whatever custom handlers call):
   * `aws secretsmanager put-secret-value --secret-id <StripeApiKeySecretName> --secret-string rk_live_…`.
   * Created blank unless the `stripeApiKeySecret` prop supplies one.
   */
  readonly stripeApiKeySecret: ISecret;
  /** Lists recent events from Stripe's Events API and enqueues those the ledger lacks. */
  readonly reconcilerFunction: NodejsFunction;
  readonly reconcilerLogGroup: LogGroup;
  /** The EventBridge rule running the reconciler; absent with `reconcilerEnabled: false`. */
  readonly reconcileSchedule: Rule | undefined;
  /** Verified events waiting for the worker. */
  readonly queue: Queue;
  /** Messages the worker failed `maxReceiveCount` times, kept for inspection and redrive. */
  readonly deadLetterQueue: Queue;
  /** The event ledger, keyed by Stripe event ID. */
  readonly ledgerTable: TableV2;
  /** Connect state projected by the worker (accounts, payouts, external accounts…), keyed by `pk`/`sk` strings. */
  readonly stateTable: TableV2;
  /** Alarms, log metrics and the dashboard. */
  readonly observability: WebhookObservability;
  /** Where the alarms go. */
  readonly alarmTopic: ITopic;
  /** The CloudFront/WAF front letting only Stripe reach the API; absent unless `webhookFront` is set. */
  readonly webhookFront: WebhookFront | undefined;
  /** The URL to register as the account webhook endpoint in the Stripe dashboard. */
  readonly accountWebhookUrl: string;
  /** The URL to register as the Connect webhook endpoint in the Stripe dashboard. */
  readonly connectWebhookUrl: string;
  /** The URL of the thin event destination (`event_payload: thin`, Accounts v2 and `v1.*` thin events). */
  readonly thinWebhookUrl: string;
  /** The dead-letter queue in the SQS console, where "Start DLQ redrive" is. */
  readonly deadLetterQueueConsoleUrl: string;
  /** The dashboard in the CloudWatch console. */
  readonly dashboardUrl: string;
  /** Stripe's Amazon EventBridge destination, when `stripeEventBridgeSource` is set. */
  readonly eventBridgeDestination?: StripeEventBridgeDestination;

  constructor(scope: Construct, id: string, props: StripeConnectWebhooksProps = {}) {
    super(scope, id);
    const settings = resolveSettings(props, Stack.of(this).stackName);
    const { queue, deadLetterQueue } = createQueues(this, settings);
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.ledgerTable = createLedgerTable(this, settings);
    this.stateTable = createStateTable(this, settings);
    this.webhookSecret = createWebhookSecret(this, settings);
    this.stripeApiKeySecret = settings.stripeApiKeySecret ?? createStripeApiKeySecret(this, settings);
    const logging = { logRetention: settings.logRetention, removalPolicy: settings.removalPolicy, applicationLogLevel: settings.applicationLogLevel };
    const ingest = createWebhookFunction(this, 'Ingest', {
      ...logging,
      entry: 'ingest/handler.ts',
      withoutDeadLetterQueue: invokedSynchronouslyBy('API Gateway, synchronously: a failure is an HTTP 5xx that Stripe retries'),
      // Lambda CPU scales with memory: 256 MB keeps HMAC checks and cold starts quick at little cost.
      memorySize: 256,
      // The ingest only verifies and enqueues: a stuck call should become a 5xx that Stripe retries, not a long wait.
      timeout: Duration.seconds(10),
      environment: {
        QUEUE_URL: queue.queueUrl,
        WEBHOOK_SECRET_ID: this.webhookSecret.secretArn,
        WEBHOOK_SECRET_CACHE_SECONDS: String(WEBHOOK_SECRET_CACHE_SECONDS),
      },
    });
    const worker = createWebhookFunction(this, 'Worker', {
      ...logging,
      entry: 'worker/handler.ts',
      withoutDeadLetterQueue: invokedSynchronouslyBy(
        'its SQS event source mapping, whose failed messages the queue itself moves to its dead-letter queue after maxReceiveCount',
      ),
      // Up to `batchSize` events run side by side, each with its own ledger round trips.
      memorySize: 512,
      timeout: settings.workerTimeout,
      environment: {
        LEDGER_TABLE_NAME: this.ledgerTable.tableName,
        LEDGER_LEASE_SECONDS: String(settings.leaseSeconds),
        LEDGER_RETENTION_DAYS: String(settings.ledgerRetentionDays),
        STATE_TABLE_NAME: this.stateTable.tableName,
        ACCEPTED_LIVEMODES: settings.acceptedLivemodes,
        // The key itself never becomes a variable: the worker reads the secret, and only when a custom handler or
        // a thin event needs Stripe.
        ...(settings.workerStripeApiAccess ? { STRIPE_API_KEY_SECRET_ID: this.stripeApiKeySecret.secretArn } : {}),
        // To back messages off (ChangeMessageVisibility, granted by the event source) while Stripe is unavailable.
        QUEUE_URL: queue.queueUrl,
      },
    });
    this.ingestFunction = ingest.fn;
    this.ingestLogGroup = ingest.logGroup;
    this.workerFunction = worker.fn;
    this.workerLogGroup = worker.logGroup;
    this.addQueueEventSource(settings);
    this.grantAccess(settings);
    const reconciler = createReconciler(this, {
      ...logging,
      enabled: settings.reconcilerEnabled,
      schedule: settings.reconcileSchedule,
      accounts: settings.reconcileAccounts,
      activeDays: settings.reconcileActiveDays,
      queue,
      ledgerTable: this.ledgerTable,
      stateTable: this.stateTable,
      apiKeySecret: this.stripeApiKeySecret,
      ...(settings.encryptionKey ? { encryptionKey: settings.encryptionKey } : {}),
    });
    this.reconcilerFunction = reconciler.fn;
    this.reconcilerLogGroup = reconciler.logGroup;
    this.reconcileSchedule = reconciler.schedule;

    const origin = settings.webhookFront === undefined ? undefined : createOriginAuthorizer(this, { ...settings, ...logging });
    const api = createWebhookHttpApi(this, { ingest: this.ingestFunction, ...settings, ...(origin ? { authorizer: origin.authorizer } : {}) });
    this.httpApi = api.httpApi;
    this.httpStage = api.stage;
    this.accessLogGroup = api.accessLogGroup;
    const front = origin && settings.webhookFront ? createWebhookFront(this, { ...settings.webhookFront, httpApi: this.httpApi, originToken: origin.originToken, throttleRateLimit: settings.throttleRateLimit }) : undefined;
    this.webhookFront = front && origin ? { ...front, originToken: origin.originToken, authorizerFunction: origin.fn } : undefined;
    const baseUrl = front === undefined ? this.httpApi.apiEndpoint : `https://${front.distribution.distributionDomainName}`;
    this.accountWebhookUrl = `${baseUrl}${WEBHOOK_PATHS.account}`;
    this.connectWebhookUrl = `${baseUrl}${WEBHOOK_PATHS.connect}`;
    this.thinWebhookUrl = `${baseUrl}${WEBHOOK_PATHS.thin}`;

    this.observability = new WebhookObservability(this, 'Observability', {
      ...settings,
      httpApi: this.httpApi,
      ingest,
      worker,
      reconciler,
      queue,
      deadLetterQueue,
    });
    this.alarmTopic = this.observability.alarmTopic;
    this.dashboardUrl = this.observability.dashboardUrl;
    this.deadLetterQueueConsoleUrl = sqsConsoleUrl(this, deadLetterQueue);
    if (props.stripeEventBridgeSource !== undefined) {
      this.eventBridgeDestination = new StripeEventBridgeDestination(this, 'EventBridgeDestination', {
        eventSourceName: props.stripeEventBridgeSource,
        queue,
        alarmTopic: this.alarmTopic,
        namePrefix: settings.namePrefix,
        removalPolicy: settings.removalPolicy,
        ...(settings.encryptionKey ? { encryptionKey: settings.encryptionKey } : {}),
      });
    }
  }

  private addQueueEventSource(settings: Settings): void {
    const eventSource = new SqsEventSource(this.queue, {
      batchSize: settings.batchSize,
      maxBatchingWindow: settings.maxBatchingWindow,
      reportBatchItemFailures: true,
      maxConcurrency: settings.maxConcurrency,
    });
    this.workerFunction.addEventSource(eventSource);
    const mapping = this.workerFunction.node.children.find((child): child is EventSourceMapping => child instanceof EventSourceMapping);
    if (mapping === undefined) throw new Error('the worker has no event source mapping');
    Validations.of(mapping).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'Lambda supports on-failure destinations only for stream and Kafka event sources, not SQS. Failed SQS messages are kept by the queue: the worker reports them in batchItemFailures, and after maxReceiveCount the queue\'s redrive policy moves them to the dead-letter queue, which has an alarm.',
    });
  }

  /** Each function gets exactly the actions it calls (`function-access.ts`); the event source adds the worker's queue permissions itself. */
  private grantAccess(settings: Settings): void {
    const encryptionKey = settings.encryptionKey;
    grantIngestAccess({ grantee: this.ingestFunction, queue: this.queue, webhookSecret: this.webhookSecret, ...(encryptionKey ? { encryptionKey } : {}) });
    grantWorkerAccess({
      grantee: this.workerFunction,
      ledgerTable: this.ledgerTable,
      stateTable: this.stateTable,
      // For the Stripe client of custom handlers and the fetches of thin events; the ingest never needs the API key.
      ...(settings.workerStripeApiAccess ? { stripeApiKeySecret: this.stripeApiKeySecret } : {}),
      ...(encryptionKey ? { encryptionKey } : {}),
    });
  }

}

/** The queue's page in the SQS console. The console takes the queue URL, URL-encoded, after `#/queues/`. */
const sqsConsoleUrl = (scope: Construct, queue: Queue): string => {
  const { region, account, urlSuffix } = Stack.of(scope);
  // Built from parts rather than by encoding `queue.queueUrl`, which is a token until deployment.
  return `https://${region}.console.aws.amazon.com/sqs/v3/home?region=${region}#/queues/https%3A%2F%2Fsqs.${region}.${urlSuffix}%2F${account}%2F${queue.queueName}`;
};
