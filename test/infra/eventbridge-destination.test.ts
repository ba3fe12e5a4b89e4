import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { StripeConnectWebhooks } from '../../lib/stripe-connect-webhooks';
import { logicalId, propertiesOf, synthesize } from './fixture';

const SOURCE = 'aws.partner/stripe.com/ed_test_61RVxkRZ3uSxhCmrA16RVxkRZ3uSxhCmrA';

describe('infrastructure: Stripe Amazon EventBridge destination', () => {
  const { stack, template } = synthesize({ webhooks: { stripeEventBridgeSource: SOURCE } });
  const destination = stack.webhooks.eventBridgeDestination;
  const queueId = logicalId(stack.webhooks.queue, stack);

  test('the partner event bus is associated with Stripe\'s event source', () => {
    // Prepare
    const expected = { EventSourceName: SOURCE, Name: SOURCE };

    // Act
    const assess = () => template.hasResourceProperties('AWS::Events::EventBus', expected);

    // Assess
    expect(assess).not.toThrow();
  });

  test('a rule on that bus sends every event of the source to the worker\'s queue, with its own DLQ and retries', () => {
    // Prepare
    const busId = logicalId(destination!.eventBus, stack);
    const dlqId = logicalId(destination!.deadLetterQueue, stack);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: busId },
        EventPattern: { source: [SOURCE] },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } }, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } })],
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('EventBridge may send to the queue only on behalf of this rule', () => {
    // Prepare
    const ruleArn = { 'Fn::GetAtt': [logicalId(destination!.rule, stack), 'Arn'] };

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: Match.arrayWith(['sqs:SendMessage']), Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } })]) },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the target DLQ is encrypted, TLS-only, keeps messages 14 days and alarms on its first message', () => {
    // Prepare
    const dlqId = logicalId(destination!.deadLetterQueue, stack);

    // Act
    const queue = () => template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const alarm = () =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: Match.anyValue(),
      });

    // Assess
    expect(queue).not.toThrow();
    expect(alarm).not.toThrow();
    expect(template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [{ Ref: dlqId }] } })).not.toEqual({});
  });

  test('without the prop there is no event bus and no rule to the queue', () => {
    // Prepare
    const plain = synthesize();

    // Act
    const buses = plain.template.findResources('AWS::Events::EventBus');

    // Assess
    expect(buses).toEqual({});
    expect(plain.stack.webhooks.eventBridgeDestination).toBeUndefined();
  });

  test('a source that is not Stripe\'s partner event source fails synth with a clear message', () => {
    // Prepare
    const bad = { stripeEventBridgeSource: 'aws.partner/example.com/abc' };

    // Act
    const assess = () => synthesize({ webhooks: bad, id: 'BadSource' });

    // Assess
    expect(assess).toThrow('stripeEventBridgeSource must be Stripe\'s partner event source');
  });

  test('the worker knows its queue URL, to back messages off while Stripe is unavailable', () => {
    // Prepare
    const workerId = logicalId(stack.webhooks.workerFunction, stack);

    // Act
    const variables = (propertiesOf(template, 'AWS::Lambda::Function', workerId).Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(variables.QUEUE_URL).toEqual({ Ref: queueId });
  });
});

describe('infrastructure: the EventBridge destination with a customer-managed key (encryptionKey)', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const keyStack = new Stack(app, 'KeyStack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const encryptionKey = new Key(keyStack, 'Key', { enableKeyRotation: true });
  const webhooks = new StripeConnectWebhooks(keyStack, 'Webhooks', { encryptionKey, stripeEventBridgeSource: SOURCE });
  const template = Template.fromStack(keyStack);
  const idIn = (construct: IConstruct) => keyStack.getLogicalId(construct.node.defaultChild as CfnElement);

  test('the target DLQ is encrypted with the same key as the event queue', () => {
    // Prepare
    const dlqId = idIn(webhooks.eventBridgeDestination!.deadLetterQueue);

    // Act
    const properties = template.findResources('AWS::SQS::Queue')[dlqId]?.Properties as Record<string, unknown>;

    // Assess
    expect(properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idIn(encryptionKey), 'Arn'] });
  });

  test('EventBridge may encrypt with the key, so its deliveries to the encrypted queue are not refused', () => {
    // Prepare
    const eventBridge = { Service: 'events.amazonaws.com' };

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: eventBridge, Action: Match.arrayWith(['kms:GenerateDataKey*']) })]) },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('EventBridge may send to the encrypted queue only from this account (the rule cannot be named through the key)', () => {
    // Prepare
    const queueId = idIn(webhooks.queue);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })]) },
      });

    // Assess
    expect(assess).not.toThrow();
  });
});
