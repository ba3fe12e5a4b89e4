import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The SNS topic for the alarms, encrypted and TLS-only, with an optional e-mail subscription. Built in `scope` with
 * the IDs `AlarmTopic` and `AlarmTopicKey`.
 */
export const createAlarmTopic = (scope: Construct, options: { readonly namePrefix: string; readonly alarmEmail?: string | undefined }): Topic => {
  // A customer-managed key, because CloudWatch cannot publish to a topic under the AWS-managed aws/sns key: its key
  // policy does not let cloudwatch.amazonaws.com use it. The key protects messages in flight only, so it goes
  // with the stack (after KMS's waiting period) rather than being retained.
  const key = new Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the ${options.namePrefix} alarm topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  const topic = new Topic(scope, 'AlarmTopic', { displayName: `${options.namePrefix} alarms`, masterKey: key, enforceSSL: true });
  // A topic policy replaces SNS's default one, so CloudWatch is allowed to publish explicitly, for this stack's
  // alarms only (they are all named `<namePrefix>-…`).
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: {
          'aws:SourceArn': Stack.of(scope).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${options.namePrefix}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }),
  );
  if (options.alarmEmail !== undefined) {
    topic.addSubscription(new EmailSubscription(options.alarmEmail));
    Validations.of(topic).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'The only subscription is the alarm e-mail. An undeliverable alarm e-mail loses no state: the alarm stays in ALARM in CloudWatch and on the dashboard, and a dead-letter queue for e-mails would need its own alarm to be noticed.',
    });
  }
  return topic;
};
