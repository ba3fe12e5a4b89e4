import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { StripeConnectWebhooks } from './stripe-connect-webhooks';
import type { StripeConnectWebhooksProps } from './stripe-connect-webhooks';

/** Properties of {@link ConnectWebhooksStack}: the stack's own plus the construct's settings. */
export interface ConnectWebhooksStackProps extends StackProps {
  /** @default - the construct's defaults */
  readonly webhooks?: StripeConnectWebhooksProps;
}

/** A deployable stack around {@link StripeConnectWebhooks}, with the outputs an operator (and the CLI's `--stack`) needs. */
export class ConnectWebhooksStack extends Stack {
  readonly webhooks: StripeConnectWebhooks;

  constructor(scope: Construct, id: string, props: ConnectWebhooksStackProps = {}) {
    super(scope, id, props);
    const webhooks = new StripeConnectWebhooks(this, 'Webhooks', props.webhooks);
    this.webhooks = webhooks;
    const outputs: Record<string, { value: string; description: string }> = {
      AccountWebhookUrl: { value: webhooks.accountWebhookUrl, description: 'Stripe endpoint for platform events (connect: false)' },
      ConnectWebhookUrl: { value: webhooks.connectWebhookUrl, description: 'Stripe endpoint for connected-account events (connect: true)' },
      ThinWebhookUrl: { value: webhooks.thinWebhookUrl, description: 'Stripe event destination for thin events (event_payload: thin, @self and @accounts)' },
      WebhookSecretName: { value: webhooks.webhookSecret.secretName, description: 'Secrets Manager secret holding the signing secrets of the account, Connect and thin routes' },
      WebhookSecretArn: { value: webhooks.webhookSecret.secretArn, description: 'ARN of the same secret' },
      QueueUrl: { value: webhooks.queue.queueUrl, description: 'Verified events waiting for the worker' },
      DeadLetterQueueUrl: { value: webhooks.deadLetterQueue.queueUrl, description: 'Events that failed maxReceiveCount times' },
      DeadLetterQueueConsoleUrl: { value: webhooks.deadLetterQueueConsoleUrl, description: 'The DLQ in the SQS console ("Start DLQ redrive")' },
      LedgerTableName: { value: webhooks.ledgerTable.tableName, description: 'Event ledger, one item per Stripe event id' },
      StateTableName: { value: webhooks.stateTable.tableName, description: 'Connect state projected from the events' },
      DashboardUrl: { value: webhooks.dashboardUrl, description: 'CloudWatch dashboard' },
      AlarmTopicArn: { value: webhooks.alarmTopic.topicArn, description: 'SNS topic every alarm notifies' },
      StripeApiKeySecretName: {
        value: webhooks.stripeApiKeySecret.secretName,
        description: 'Secrets Manager secret for the Stripe API key (plain text, rk_… with read access to Events), read by the reconciler and the worker',
      },
      ReconcilerFunctionName: { value: webhooks.reconcilerFunction.functionName, description: 'Lambda function that finds events Stripe did not deliver and enqueues them' },
    };
    for (const [id, output] of Object.entries(outputs)) new CfnOutput(this, id, output);
  }
}
