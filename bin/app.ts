import { App } from 'aws-cdk-lib';
import { ConnectWebhooksStack } from '../lib/connect-webhooks-stack';

const app = new App();

// Environment-agnostic unless the CLI resolved an account and region from the caller's profile.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
new ConnectWebhooksStack(app, 'StripeConnectWebhooks', {
  ...(account && region ? { env: { account, region } } : {}),
  description: 'Stripe Connect webhooks: verified ingest, SQS queue with DLQ, exactly-once worker, DynamoDB event ledger',
});
