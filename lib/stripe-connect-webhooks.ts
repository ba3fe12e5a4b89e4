import * as path from 'node:path';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, RedrivePermission } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Which Stripe modes a deployment processes: `both` (kept apart), or only `live` or only `test` events. */
export type AcceptedLivemodes = 'both' | 'live' | 'test';

const ACCEPTED_LIVEMODES: readonly string[] = ['both', 'live', 'test'] satisfies readonly AcceptedLivemodes[];

/** Properties of {@link StripeConnectWebhooks}. */
export interface StripeConnectWebhooksProps {
  /**
   * Most SQS messages handed to one worker invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the event source waits to fill a batch before invoking the worker.
   * @default Duration.seconds(1)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Worker Lambda timeout; the queue visibility timeout and the ledger lease are derived from it.
   * @default Duration.seconds(30)
   */
  readonly workerTimeout?: Duration;
  /**
   * Days a ledger record is kept (DynamoDB TTL). At least 30: Stripe lets you list and resend events for 30 days.
   * @default 35
   */
  readonly ledgerRetentionDays?: number;
  /**
   * Deliveries of one message before SQS moves it to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * What happens to the stateful resources (ledger and state tables, queues, log groups) when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Retention of the functions' log groups.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Signing secrets (`whsec_…`) of the account endpoint (`/webhooks/account`); several overlap during a rotation.
   * Passed to the ingest as the plain environment variable `STRIPE_WEBHOOK_SECRET`, so they are visible in the
   * template and the Lambda console: a later change moves them to Secrets Manager.
   * @default - none: every account event is refused until secrets are configured
   */
  readonly accountWebhookSecrets?: readonly string[];
  /**
   * Signing secrets (`whsec_…`) of the Connect endpoint (`/webhooks/connect`), as `STRIPE_CONNECT_WEBHOOK_SECRET`.
   * Same caveat as {@link accountWebhookSecrets}: a later change moves them to Secrets Manager.
   * @default - none: every Connect event is refused until secrets are configured
   */
  readonly connectWebhookSecrets?: readonly string[];
  /**
   * Which Stripe modes the worker processes, as `ACCEPTED_LIVEMODES`. An event of a refused mode is recorded
   * `ignored` in the ledger and never touches state: a test-mode event on a live-only deployment changes nothing.
   * @default 'both'
   */
  readonly acceptedLivemodes?: AcceptedLivemodes;
}

/** Extra lease time past the worker timeout, so a lease never expires under a worker that is still running. */
const LEASE_MARGIN_SECONDS = 30;

const FUNCTIONS_DIR = path.join(__dirname, '..', 'functions');

/**
 * Stripe webhooks for a Connect platform: an HTTP API whose ingest function verifies and enqueues events,
 * an SQS queue with a dead-letter queue, and a worker that runs each event once, tracked in a DynamoDB ledger,
 * and projects it into a DynamoDB table of Connect state.
 */
export class StripeConnectWebhooks extends Construct {
  /** The public HTTP API receiving Stripe's webhook calls. */
  readonly httpApi: HttpApi;
  /** Verifies signatures and enqueues events; answers Stripe. */
  readonly ingestFunction: NodejsFunction;
  /** Consumes the queue and runs each event's handlers once. */
  readonly workerFunction: NodejsFunction;
  /** Verified events waiting for the worker. */
  readonly queue: Queue;
  /** Messages the worker failed `maxReceiveCount` times, kept for inspection and redrive. */
  readonly deadLetterQueue: Queue;
  /** The event ledger, keyed by Stripe event ID. */
  readonly ledgerTable: TableV2;
  /** Connect state projected by the worker (accounts, payouts, external accounts…), keyed by `pk`/`sk` strings. */
  readonly stateTable: TableV2;
  /** The URL to register as the account webhook endpoint in the Stripe dashboard. */
  readonly accountWebhookUrl: string;
  /** The URL to register as the Connect webhook endpoint in the Stripe dashboard. */
  readonly connectWebhookUrl: string;

  constructor(scope: Construct, id: string, props: StripeConnectWebhooksProps = {}) {
    super(scope, id);
    const settings = resolveSettings(props);
    const { queue, deadLetterQueue } = this.createQueues(settings);
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.ledgerTable = this.createLedgerTable(settings);
    this.stateTable = this.createStateTable(settings);
    this.ingestFunction = this.createFunction('Ingest', settings, {
      entry: 'ingest/handler.ts',
      // Lambda CPU scales with memory: 256 MB keeps HMAC checks and cold starts quick at little cost.
      memorySize: 256,
      // The ingest only verifies and enqueues: a stuck call should become a 5xx that Stripe retries, not a long wait.
      timeout: Duration.seconds(10),
      environment: {
        QUEUE_URL: queue.queueUrl,
        STRIPE_WEBHOOK_SECRET: joinSecrets(props.accountWebhookSecrets, 'accountWebhookSecrets'),
        STRIPE_CONNECT_WEBHOOK_SECRET: joinSecrets(props.connectWebhookSecrets, 'connectWebhookSecrets'),
      },
    });
    this.workerFunction = this.createFunction('Worker', settings, {
      entry: 'worker/handler.ts',
      // Up to `batchSize` events run side by side, each with its own ledger round trips.
      memorySize: 512,
      timeout: settings.workerTimeout,
      environment: {
        LEDGER_TABLE_NAME: this.ledgerTable.tableName,
        LEDGER_LEASE_SECONDS: String(settings.leaseSeconds),
        LEDGER_RETENTION_DAYS: String(settings.ledgerRetentionDays),
        STATE_TABLE_NAME: this.stateTable.tableName,
        ACCEPTED_LIVEMODES: settings.acceptedLivemodes,
        // STRIPE_API_KEY: a later change supplies it from Secrets Manager, never as a plain variable.
      },
    });
    this.workerFunction.addEventSource(
      new SqsEventSource(queue, { batchSize: settings.batchSize, maxBatchingWindow: settings.maxBatchingWindow, reportBatchItemFailures: true }),
    );
    queue.grantSendMessages(this.ingestFunction);
    this.ledgerTable.grantReadWriteData(this.workerFunction);
    // The worker commits ledger and state in one TransactWriteItems call, and reads state with GetItem/Query/Scan.
    this.stateTable.grantReadWriteData(this.workerFunction);

    this.httpApi = this.createHttpApi(this.ingestFunction);
    this.accountWebhookUrl = `${this.httpApi.apiEndpoint}/webhooks/account`;
    this.connectWebhookUrl = `${this.httpApi.apiEndpoint}/webhooks/connect`;
  }

  private createLedgerTable(settings: Settings): TableV2 {
    return new TableV2(this, 'LedgerTable', {
      partitionKey: { name: 'eventId', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      // The ledger is what makes processing exactly-once; losing it would replay every recent event.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: settings.removalPolicy,
    });
  }

  private createStateTable(settings: Settings): TableV2 {
    return new TableV2(this, 'StateTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      // Rebuilding it means replaying events, and Stripe resends only the last 30 days.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: settings.removalPolicy,
    });
  }

  private createQueues(settings: Settings): { queue: Queue; deadLetterQueue: Queue } {
    const common = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: settings.removalPolicy,
    };
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...common,
      // Lets the console's "Start DLQ redrive" move messages back. BY_QUEUE would have to name the source
      // queue's ARN, which depends on this queue: a cycle CloudFormation refuses, unless the source queue got
      // a fixed physical name, which blocks replacing it and recreating a retained stack.
      redriveAllowPolicy: { redrivePermission: RedrivePermission.ALLOW_ALL },
    });
    const queue = new Queue(this, 'EventQueue', {
      ...common,
      // Lambda's advice: six worker timeouts, so throttled retries do not redeliver a batch still in flight;
      // plus the batching window, during which received messages are already invisible.
      visibilityTimeout: Duration.seconds(6 * settings.workerTimeout.toSeconds() + settings.maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }

  private createFunction(
    id: string,
    settings: Settings,
    options: { entry: string; memorySize: number; timeout: Duration; environment: Record<string, string> },
  ): NodejsFunction {
    // An explicit log group, so retention and removal are ours rather than a never-expiring implicit group.
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    return new NodejsFunction(this, id, {
      entry: path.join(FUNCTIONS_DIR, options.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: options.timeout,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...options.environment },
      // The SDK is bundled too (no `@aws-sdk/*` externals): the functions run the versions the tests pinned,
      // not whatever the runtime ships.
      bundling: { minify: true, sourceMap: true, target: 'node24', externalModules: [] },
    });
  }

  private createHttpApi(ingest: NodejsFunction): HttpApi {
    const integration = new HttpLambdaIntegration('IngestIntegration', ingest);
    // The $default route sends unknown paths and methods to the ingest too, which answers 404/405 itself.
    const httpApi = new HttpApi(this, 'HttpApi', { defaultIntegration: integration });
    for (const routePath of ['/webhooks/account', '/webhooks/connect']) {
      httpApi.addRoutes({ path: routePath, methods: [HttpMethod.POST], integration });
    }
    return httpApi;
  }
}

interface Settings {
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly workerTimeout: Duration;
  readonly leaseSeconds: number;
  readonly ledgerRetentionDays: number;
  readonly maxReceiveCount: number;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  readonly acceptedLivemodes: AcceptedLivemodes;
}

/** Defaults applied and checked at synth time, so a bad value fails `cdk synth` rather than a cold start. */
const resolveSettings = (props: StripeConnectWebhooksProps): Settings => {
  const workerTimeout = props.workerTimeout ?? Duration.seconds(30);
  const ledgerRetentionDays = props.ledgerRetentionDays ?? 35;
  const maxReceiveCount = props.maxReceiveCount ?? 5;
  if (!Number.isInteger(ledgerRetentionDays) || ledgerRetentionDays < 30) throw new Error('ledgerRetentionDays must be an integer of at least 30');
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) throw new Error('maxReceiveCount must be a positive integer');
  const acceptedLivemodes = props.acceptedLivemodes ?? 'both';
  // Checked for JavaScript callers and casts: the worker refuses to start on any other value.
  if (!ACCEPTED_LIVEMODES.includes(acceptedLivemodes)) throw new Error(`acceptedLivemodes must be 'both', 'live' or 'test', got ${JSON.stringify(acceptedLivemodes)}`);
  return {
    batchSize: props.batchSize ?? 10,
    maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
    workerTimeout,
    // Margin capped at the timeout itself, so the lease (at most 2× timeout) stays below the 6× visibility timeout.
    leaseSeconds: workerTimeout.toSeconds() + Math.min(LEASE_MARGIN_SECONDS, workerTimeout.toSeconds()),
    ledgerRetentionDays,
    maxReceiveCount,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    acceptedLivemodes,
  };
};

/** The comma-separated list the ingest parses; entries are checked here because a bad one breaks every cold start. */
const joinSecrets = (secrets: readonly string[] | undefined, name: string): string => {
  const bad = (secrets ?? []).findIndex((secret) => !Token.isUnresolved(secret) && !/^whsec_[^\s,]+$/.test(secret));
  if (bad >= 0) throw new Error(`${name} entry ${bad + 1} is not a whsec_ secret`);
  return (secrets ?? []).join(',');
};
