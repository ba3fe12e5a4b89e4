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

/** A deployable stack around {@link StripeConnectWebhooks}, with the outputs an operator needs. */
export class ConnectWebhooksStack extends Stack {
  readonly webhooks: StripeConnectWebhooks;

  constructor(scope: Construct, id: string, props: ConnectWebhooksStackProps = {}) {
    super(scope, id, props);
    this.webhooks = new StripeConnectWebhooks(this, 'Webhooks', props.webhooks);
    new CfnOutput(this, 'AccountWebhookUrl', { value: this.webhooks.accountWebhookUrl, description: 'Register as the account webhook endpoint in Stripe' });
    new CfnOutput(this, 'ConnectWebhookUrl', { value: this.webhooks.connectWebhookUrl, description: 'Register as the Connect webhook endpoint in Stripe' });
    new CfnOutput(this, 'QueueUrl', { value: this.webhooks.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.webhooks.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'LedgerTableName', { value: this.webhooks.ledgerTable.tableName });
    new CfnOutput(this, 'StateTableName', { value: this.webhooks.stateTable.tableName });
  }
}
