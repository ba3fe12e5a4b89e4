import { Duration, Token, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Stripe's partner event sources: `aws.partner/stripe.com/ed_…`, named by the event destination's id. */
const PARTNER_SOURCE = /^aws\.partner\/stripe\.com\/ed_[A-Za-z0-9_]+$/;

/** Properties of {@link StripeEventBridgeDestination}. */
export interface StripeEventBridgeDestinationProps {
  /**
   * The partner event source Stripe created for an event destination of type `amazon_eventbridge`
   * (`aws.partner/stripe.com/ed_…`), to be associated with a new partner event bus.
   */
  readonly eventSourceName: string;
  /** The queue the worker consumes: EventBridge's deliveries join the webhook ones there. */
  readonly queue: IQueue;
  /** Where the target DLQ's alarm goes. */
  readonly alarmTopic: ITopic;
  /** Name prefix of the alarm. */
  readonly namePrefix: string;
  /**
   * The customer-managed key of the event queue, if any: the target's DLQ uses it too, and EventBridge is
   * allowed to encrypt with it.
   * @default - SQS-managed encryption
   */
  readonly encryptionKey?: IKey;
  /** @default RemovalPolicy.RETAIN (from the construct's settings) */
  readonly removalPolicy: RemovalPolicy;
  /**
   * How long EventBridge keeps retrying a delivery the queue refused before it goes to the target's DLQ.
   * @default Duration.hours(24), EventBridge's maximum
   */
  readonly maxEventAge?: Duration;
}

/**
 * Stripe's Amazon EventBridge destination: the partner event bus for Stripe's event source, a rule taking
 * every event of that source, and an SQS target putting each event, envelope and all, on the worker's queue. The
 * worker unwraps the envelope's `detail` (a snapshot or a thin event) and dedupes it with webhook deliveries by
 * event id. Deliveries the queue keeps refusing go to the target's own dead-letter queue, which alarms.
 */
export class StripeEventBridgeDestination extends Construct {
  readonly eventBus: EventBus;
  readonly rule: Rule;
  /** Events EventBridge could not deliver to the queue after its retries. */
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: StripeEventBridgeDestinationProps) {
    super(scope, id);
    // With a customer-managed key on the queue, CDK's SqsQueue target cannot name the rule in the queue policy (a
    // circular dependency through the key); this flag has it name the account instead of allowing any sender.
    this.node.setContext('@aws-cdk/aws-events:eventsTargetQueueSameAccount', true);
    if (!Token.isUnresolved(props.eventSourceName) && !PARTNER_SOURCE.test(props.eventSourceName)) {
      throw new Error(`stripeEventBridgeSource must be Stripe's partner event source, aws.partner/stripe.com/ed_…; got "${props.eventSourceName}"`);
    }
    this.eventBus = new EventBus(this, 'PartnerEventBus', { eventSourceName: props.eventSourceName });
    this.deadLetterQueue = new Queue(this, 'TargetDeadLetterQueue', {
      ...(props.encryptionKey ? { encryption: QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey } : { encryption: QueueEncryption.SQS_MANAGED }),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    const endOfTheLine = "This is the EventBridge rule target's dead-letter queue (the rule's DeadLetterConfig, not an SQS redrive policy), the end of the line: nothing consumes it, its messages wait 14 days for an operator, with an alarm as soon as one arrives.";
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: endOfTheLine });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: endOfTheLine });
    this.rule = new Rule(this, 'StripeEventsRule', {
      eventBus: this.eventBus,
      description: 'Every Stripe event of the partner event source, to the webhook event queue',
      eventPattern: { source: [props.eventSourceName] },
      targets: [new SqsQueue(props.queue, { deadLetterQueue: this.deadLetterQueue, maxEventAge: props.maxEventAge ?? Duration.hours(24), retryAttempts: 185 })],
    });
    this.deadLetterAlarm = new Alarm(this, 'TargetDeadLetterAlarm', {
      alarmName: `${props.namePrefix}-eventbridge-target-dlq`,
      alarmDescription: 'Stripe events from EventBridge could not be put on the event queue and wait in the target dead-letter queue; fix the queue policy or encryption, then send them to the event queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
