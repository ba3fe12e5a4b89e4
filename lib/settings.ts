import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { WebhookFrontProps } from './waf-front';

/** Which Stripe modes a deployment processes: `both` (kept apart), or only `live` or only `test` events. */
export type AcceptedLivemodes = 'both' | 'live' | 'test';

const ACCEPTED_LIVEMODES: readonly string[] = ['both', 'live', 'test'] satisfies readonly AcceptedLivemodes[];

/** Properties of `StripeConnectWebhooks`. */
export interface StripeConnectWebhooksProps {
  /**
   * Prefix of the human-facing names: the dashboard, the alarms and the CloudWatch namespace of the log metrics.
   * Tables, queues, functions and the secret keep generated names, so they can be replaced and a retained stack
   * recreated. Letters, digits, `-` and `_` only (the dashboard's rule).
   * @default - the stack name
   */
  readonly namePrefix?: string;
  /**
   * Which Stripe modes the worker processes, as `ACCEPTED_LIVEMODES`. An event of a refused mode is recorded
   * `ignored` in the ledger and never touches state: a test-mode event on a live-only deployment changes nothing.
   * @default 'both'
   */
  readonly acceptedLivemodes?: AcceptedLivemodes;
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
   * Most worker invocations the SQS event source runs at once (2 to 1000). It caps the write rate on the tables and
   * keeps a backlog from taking the account's whole Lambda concurrency; messages simply wait in the queue.
   * @default 10
   */
  readonly maxConcurrency?: number;
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
   * Steady-state requests per second the HTTP API's default stage lets through; above it API Gateway answers 429,
   * which Stripe retries later.
   * @default 100
   */
  readonly throttleRateLimit?: number;
  /**
   * Requests the HTTP API's default stage absorbs in a burst above the rate limit.
   * @default 200
   */
  readonly throttleBurstLimit?: number;
  /**
   * An existing SNS topic for the alarms. Mutually exclusive with {@link alarmEmail}.
   * @default - a topic is created (KMS-encrypted, TLS only), so alarms always have a target
   */
  readonly alarmTopic?: ITopic;
  /**
   * An e-mail address subscribed to the created alarm topic. AWS sends a confirmation e-mail first.
   * Mutually exclusive with {@link alarmTopic}.
   * @default - no subscription: subscribe to the `AlarmTopicArn` output yourself
   */
  readonly alarmEmail?: string;
  /**
   * Age of the oldest message in the event queue that raises the backlog alarm.
   * @default - 15 minutes plus the time a failing message can stay before it reaches the DLQ
   *   (maxReceiveCount × visibility timeout), so one failing event raises only the DLQ alarm
   */
  readonly oldestMessageAgeAlarmThreshold?: Duration;
  /**
   * What happens to the stateful resources (tables, queues, secret, log groups) when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection on the ledger and state tables: even `RemovalPolicy.DESTROY` cannot delete
   * them until it is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Retention of the functions' log groups and of the HTTP API access logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Lowest level of the functions' own JSON log lines that Lambda keeps (`AWS_LAMBDA_LOG_LEVEL`). The log metrics
   * read INFO lines (worker outcomes, lag) and WARN lines (signature failures): above those levels they stay at zero.
   * @default ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: ApplicationLogLevel;
  /**
   * The Secrets Manager secret holding the Stripe API key as plain text. The reconciler reads it to list v1 and v2
   * events, and the worker (with `workerStripeApiAccess`) to fetch thin events, their v2 accounts and persons, and
   * for your custom handlers' Stripe client. Store a restricted key (`rk_live_…`) with read access to Events,
   * v2 Events and Accounts, plus whatever your custom handlers call:
   * `aws secretsmanager put-secret-value --secret-id <StripeApiKeySecretName> --secret-string rk_live_…`.
   * An existing secret may come from `Secret.fromSecretCompleteArn` or `Secret.fromSecretNameV2`; if a
   * customer-managed KMS key encrypts it, use `Secret.fromSecretAttributes` with its `encryptionKey`, so the grants
   * include decrypting.
   * @default - a secret is created (no fixed name) holding a blank placeholder; the reconciler fails, and its alarm
   *   fires, until the key is stored. Redeploying never overwrites the stored key.
   */
  readonly stripeApiKeySecret?: ISecret;
  /**
   * Whether the worker may read the Stripe API key secret. The worker uses Stripe for two things: thin events
   * (Accounts v2, `v1.*` thin types) are fetched from Stripe before they are projected, and custom handlers get a
   * Stripe client. With `false` the worker gets neither the secret's ARN nor permission to read it; thin events
   * then fail with a configuration error and reach the dead-letter queue, so set it only when no thin destination
   * points at the stack.
   * @default true
   */
  readonly workerStripeApiAccess?: boolean;
  /**
   * A customer-managed KMS key for the ledger and state tables and both queues, so the operator controls (and
   * CloudTrail logs) every use of it and can revoke access to the stored events. The functions get exactly the
   * key actions their calls need.
   * @default - AWS-owned keys: DynamoDB's default encryption and SQS-managed SSE, no cost and no key to manage
   */
  readonly encryptionKey?: IKey;
  /**
   * Puts a CloudFront distribution with an AWS WAF web ACL in front of the HTTP API, allowing only Stripe's webhook
   * IPs and a per-IP rate, and refuses (401/403) requests that reach the API without passing it. The webhook URLs
   * become the distribution's. Off by default: the web ACL and its rules cost money even idle (see docs/security.md).
   * @default - no front: the HTTP API is called directly, each request authenticated by its signature
   */
  readonly webhookFront?: WebhookFrontProps;
  /**
   * Whether the EventBridge schedule runs the reconciler. The function, its alarm and the API key secret exist
   * either way, so it can still be invoked by hand.
   * @default true
   */
  readonly reconcilerEnabled?: boolean;
  /**
   * How often the reconciler runs: it lists recent events from Stripe's Events API for the platform and the
   * accounts below, and enqueues those the ledger does not know. Whole minutes, from 1 minute to 1 day.
   * @default Duration.minutes(15)
   */
  readonly reconcileSchedule?: Duration;
  /**
   * Connected accounts (`acct_…`) the reconciler checks besides the platform, as `RECONCILE_ACCOUNTS`, exactly as
   * listed (none is skipped).
   * @default - every account of the reconciler's directory (kept by the worker) with an event in the last
   * {@link reconcileActiveDays} days, in the API key's mode and not deauthorized
   */
  readonly reconcileAccounts?: readonly string[];
  /**
   * With no {@link reconcileAccounts}: how many days since an account's last event keep it worth checking
   * (`RECONCILE_ACTIVE_DAYS`), from 1 to 30 (Stripe lists events of the last 30 days).
   * @default 7
   */
  readonly reconcileActiveDays?: number;
  /**
   * Stripe's partner event source of an Amazon EventBridge event destination (`aws.partner/stripe.com/ed_…`).
   * When set, the construct creates the partner event bus and a rule sending its events to the event queue
   * (with the rule target's own dead-letter queue and alarm); the worker processes them as webhook events.
   * @default - no EventBridge destination
   */
  readonly stripeEventBridgeSource?: string;
}

/** Every setting with its default applied; see {@link StripeConnectWebhooksProps} for the meanings. */
export interface Settings {
  readonly namePrefix: string;
  readonly acceptedLivemodes: AcceptedLivemodes;
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly maxConcurrency: number;
  readonly workerTimeout: Duration;
  readonly visibilityTimeout: Duration;
  readonly leaseSeconds: number;
  readonly ledgerRetentionDays: number;
  readonly maxReceiveCount: number;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly alarmTopic: ITopic | undefined;
  readonly alarmEmail: string | undefined;
  readonly oldestMessageAgeAlarmThreshold: Duration;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  readonly applicationLogLevel: ApplicationLogLevel;
  readonly stripeApiKeySecret: ISecret | undefined;
  readonly workerStripeApiAccess: boolean;
  readonly encryptionKey: IKey | undefined;
  readonly webhookFront: WebhookFrontProps | undefined;
  readonly reconcilerEnabled: boolean;
  readonly reconcileSchedule: Duration;
  readonly reconcileAccounts: readonly string[];
  readonly reconcileActiveDays: number;
}

/** Extra lease time past the worker timeout, so a lease never expires under a worker that is still running. */
const LEASE_MARGIN_SECONDS = 30;

const check = (valid: boolean, message: string): void => {
  if (!valid) throw new Error(message);
};

/** An integer in range, or a token CloudFormation resolves later. */
const isIntegerIn = (value: number, min: number, max: number): boolean => Token.isUnresolved(value) || (Number.isInteger(value) && value >= min && value <= max);

/** A duration of whole minutes in range (compared in milliseconds: `toMinutes` and `toSeconds` throw on fractions). */
const isWholeMinutesIn = (duration: Duration, min: number, max: number): boolean => {
  const ms = duration.toMilliseconds();
  return ms % 60_000 === 0 && ms >= min * 60_000 && ms <= max * 60_000;
};

/**
 * Defaults applied and checked at synth time, so a bad value fails `cdk synth` rather than a deployment or a cold
 * start. `stackName` is the default name prefix.
 */
export const resolveSettings = (props: StripeConnectWebhooksProps, stackName: string): Settings => {
  const workerTimeout = props.workerTimeout ?? Duration.seconds(30);
  const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(1);
  const ledgerRetentionDays = props.ledgerRetentionDays ?? 35;
  const maxReceiveCount = props.maxReceiveCount ?? 5;
  const maxConcurrency = props.maxConcurrency ?? 10;
  const throttleRateLimit = props.throttleRateLimit ?? 100;
  const throttleBurstLimit = props.throttleBurstLimit ?? 200;
  const namePrefix = props.namePrefix ?? stackName;
  const acceptedLivemodes = props.acceptedLivemodes ?? 'both';
  const reconcileSchedule = props.reconcileSchedule ?? Duration.minutes(15);
  const reconcileAccounts = props.reconcileAccounts ?? [];
  const reconcileActiveDays = props.reconcileActiveDays ?? 7;
  check(Number.isInteger(ledgerRetentionDays) && ledgerRetentionDays >= 30, 'ledgerRetentionDays must be an integer of at least 30');
  check(Number.isInteger(maxReceiveCount) && maxReceiveCount >= 1, 'maxReceiveCount must be a positive integer');
  // Lambda's own range for SQS event sources; 1 would serialize the worker, which the event source refuses.
  check(isIntegerIn(maxConcurrency, 2, 1000), 'maxConcurrency must be an integer from 2 to 1000');
  check([throttleRateLimit, throttleBurstLimit].every((limit) => Token.isUnresolved(limit) || limit > 0), 'throttleRateLimit and throttleBurstLimit must be positive');
  check(Token.isUnresolved(namePrefix) || /^[A-Za-z0-9_-]{1,200}$/.test(namePrefix), `namePrefix may hold only letters, digits, - and _ (at most 200), got ${JSON.stringify(namePrefix)}`);
  // Checked for JavaScript callers and casts: the worker refuses to start on any other value.
  check(ACCEPTED_LIVEMODES.includes(acceptedLivemodes), `acceptedLivemodes must be 'both', 'live' or 'test', got ${JSON.stringify(acceptedLivemodes)}`);
  // Subscribing someone to a topic we do not own would change it behind its owner's back.
  check(props.alarmTopic === undefined || props.alarmEmail === undefined, 'set alarmTopic or alarmEmail, not both: subscribe the address to your own topic');
  check(props.alarmEmail === undefined || Token.isUnresolved(props.alarmEmail) || /^[^\s@]+@[^\s@]+$/.test(props.alarmEmail), 'alarmEmail must be an e-mail address');
  // EventBridge rates are whole minutes; past a day, a failure would go unnoticed (and unretried) for too long.
  check(isWholeMinutesIn(reconcileSchedule, 1, 24 * 60), `reconcileSchedule must be whole minutes from 1 minute to 1 day, got ${reconcileSchedule.toHumanString()}`);
  // The same rule as the reconciler's RECONCILE_ACCOUNTS, so a typo fails synth rather than every run.
  const badAccount = reconcileAccounts.find((account) => !Token.isUnresolved(account) && !/^acct_[A-Za-z0-9]+$/.test(account));
  check(badAccount === undefined, `reconcileAccounts must hold acct_ ids, got ${JSON.stringify(badAccount)}`);
  check(isIntegerIn(reconcileActiveDays, 1, 30), 'reconcileActiveDays must be an integer from 1 to 30');
  // Lambda's advice: six worker timeouts, so throttled retries do not redeliver a batch still in flight; plus the
  // batching window, during which received messages are already invisible.
  const visibilityTimeout = Duration.seconds(6 * workerTimeout.toSeconds() + maxBatchingWindow.toSeconds());
  return {
    namePrefix,
    acceptedLivemodes,
    batchSize: props.batchSize ?? 10,
    maxBatchingWindow,
    maxConcurrency,
    workerTimeout,
    visibilityTimeout,
    // Margin capped at the timeout itself, so the lease (at most 2× timeout) stays below the 6× visibility timeout.
    leaseSeconds: workerTimeout.toSeconds() + Math.min(LEASE_MARGIN_SECONDS, workerTimeout.toSeconds()),
    ledgerRetentionDays,
    maxReceiveCount,
    throttleRateLimit,
    throttleBurstLimit,
    alarmTopic: props.alarmTopic,
    alarmEmail: props.alarmEmail,
    oldestMessageAgeAlarmThreshold: props.oldestMessageAgeAlarmThreshold ?? Duration.minutes(15 + Math.ceil((maxReceiveCount * visibilityTimeout.toSeconds()) / 60)),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    deletionProtection: props.deletionProtection ?? true,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    applicationLogLevel: props.applicationLogLevel ?? ApplicationLogLevel.INFO,
    stripeApiKeySecret: props.stripeApiKeySecret,
    workerStripeApiAccess: props.workerStripeApiAccess ?? true,
    encryptionKey: props.encryptionKey,
    webhookFront: props.webhookFront,
    reconcilerEnabled: props.reconcilerEnabled ?? true,
    reconcileSchedule,
    reconcileAccounts,
    reconcileActiveDays,
  };
};
