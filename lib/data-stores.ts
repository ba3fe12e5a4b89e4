import { Duration, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption, RedrivePermission } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Settings } from './settings';

// Where the construct keeps its data: the ledger and state tables, the two secrets, the queue and its DLQ.

/**
 * The initial value of the webhook secret: the snapshot routes' lists empty (a missing `thin` list reads as empty, and
 * `secrets set --thin` adds it). CloudFormation writes it only when the secret
 * is created or this template value changes, so `connect-webhooks secrets set` keeps its lists across deployments.
 * Changing this text would overwrite them on the next deployment.
 */
const EMPTY_WEBHOOK_SECRETS = JSON.stringify({ account: [], connect: [] });

/**
 * The initial value of a created Stripe API key secret: blank, which the functions read as "no key stored". One
 * space, because CloudFormation refuses an empty SecretString (minimum length 1) and CDK would generate a random
 * value in its place. CloudFormation writes it only when the secret is created, so a stored key survives deployments.
 */
const BLANK_STRIPE_API_KEY = ' ';

/** SQS's largest message, so any Stripe event fits (the ingest answers 413 above it). */
export const MAX_MESSAGE_BYTES = 1_048_576;

/** The customer-managed key of `encryptionKey`, or DynamoDB's default encryption. */
const tableEncryption = (scope: Construct, settings: Settings): { encryption?: TableEncryptionV2 } => {
  if (settings.encryptionKey === undefined) return {};
  // TableV2 names the key per replica region, which an environment-agnostic stack cannot render.
  if (Token.isUnresolved(Stack.of(scope).region)) throw new Error('encryptionKey needs a stack with an explicit region: give the stack env: { account, region }');
  return { encryption: TableEncryptionV2.customerManagedKey(settings.encryptionKey) };
};

/** The event ledger: one item per Stripe event id, point-in-time recovery, TTL on `expiresAt`. */
export const createLedgerTable = (scope: Construct, settings: Settings): TableV2 => {
  return new TableV2(scope, 'LedgerTable', {
    partitionKey: { name: 'eventId', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    ...tableEncryption(scope, settings),
    timeToLiveAttribute: 'expiresAt',
    // The ledger is what makes processing exactly-once; losing it would replay every recent event.
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: settings.deletionProtection,
    removalPolicy: settings.removalPolicy,
  });
};

/** The Connect state table (`pk`, `sk`), point-in-time recovery. */
export const createStateTable = (scope: Construct, settings: Settings): TableV2 => {
  return new TableV2(scope, 'StateTable', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    ...tableEncryption(scope, settings),
    // Rebuilding it means replaying events, and Stripe resends only the last 30 days.
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: settings.deletionProtection,
    removalPolicy: settings.removalPolicy,
  });
};

/** The signing secrets of the three routes, one JSON document; `connect-webhooks secrets set` keeps it. */
export const createWebhookSecret = (scope: Construct, settings: Settings): Secret => {
  const secret = new Secret(scope, 'WebhookSecret', {
    description: 'Stripe webhook signing secrets: {"account": [whsec_…], "connect": [whsec_…], "thin": [whsec_…]}. Set with `connect-webhooks secrets set`.',
    secretStringValue: SecretValue.unsafePlainText(EMPTY_WEBHOOK_SECRETS),
    removalPolicy: settings.removalPolicy,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Stripe generates webhook signing secrets; they can only be rolled in the Stripe Dashboard, so no rotation Lambda could produce a new one. The operator adds the new secret with `connect-webhooks secrets set` while the old one stays valid, then removes it with `secrets prune`.',
  });
  return secret;
};

/** The Stripe API key secret, created blank; the operator stores the key. */
export const createStripeApiKeySecret = (scope: Construct, settings: Settings): Secret => {
  const secret = new Secret(scope, 'StripeApiKeySecret', {
    description:
      'Stripe API key, plain text, for the reconciler (read access to v1 and v2 Events), the worker\'s thin-event fetches (v2 Events and Accounts) and custom handlers: a restricted key rk_live_… Set with `aws secretsmanager put-secret-value`.',
    secretStringValue: SecretValue.unsafePlainText(BLANK_STRIPE_API_KEY),
    removalPolicy: settings.removalPolicy,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Stripe API keys are created and rolled only in the Stripe Dashboard (Developers > API keys > Roll key, which keeps the old key valid for a chosen time); no public API issues one, so no rotation Lambda could. The operator rolls the key there and stores the new one with `aws secretsmanager put-secret-value`.',
  });
  return secret;
};

/** The event queue and its dead-letter queue, encrypted, TLS only, 14 days. */
export const createQueues = (scope: Construct, settings: Settings): { queue: Queue; deadLetterQueue: Queue } => {
  const common = {
    ...(settings.encryptionKey === undefined ? { encryption: QueueEncryption.SQS_MANAGED } : { encryption: QueueEncryption.KMS, encryptionMasterKey: settings.encryptionKey }),
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    removalPolicy: settings.removalPolicy,
  };
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
    ...common,
    // Lets the console's "Start DLQ redrive" move messages back. BY_QUEUE would have to name the source
    // queue's ARN, which depends on this queue: a cycle CloudFormation refuses, unless the source queue got
    // a fixed physical name, which blocks replacing it and recreating a retained stack.
    redriveAllowPolicy: { redrivePermission: RedrivePermission.ALLOW_ALL },
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason:
      'This is the dead-letter queue itself, the end of the line: nothing consumes it, and its messages wait 14 days for an operator to redrive them to the event queue ("Start DLQ redrive"), with an alarm as soon as one arrives.',
  });
  const queue = new Queue(scope, 'EventQueue', {
    ...common,
    visibilityTimeout: settings.visibilityTimeout,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
};
