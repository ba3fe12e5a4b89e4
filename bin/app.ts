import { App } from 'aws-cdk-lib';
import { ConnectWebhooksStack } from '../lib/connect-webhooks-stack';
import { addNagChecks } from '../lib/nag';
import type { AcceptedLivemodes, StripeConnectWebhooksProps } from '../lib/stripe-connect-webhooks';

const app = new App();

/**
 * The few settings worth changing without code: `npx cdk deploy -c alarmEmail=ops@example.com`,
 * `-c reconcileAccounts=acct_1…,acct_2…`, `-c reconcilerEnabled=false`.
 */
const webhooksFromContext = (): StripeConnectWebhooksProps => {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (typeof value === 'boolean' || Array.isArray(value)) return String(value);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const alarmEmail = context('alarmEmail');
  const namePrefix = context('namePrefix');
  const acceptedLivemodes = context('acceptedLivemodes') as AcceptedLivemodes | undefined;
  const reconcileAccounts = context('reconcileAccounts')
    ?.split(',')
    .map((account) => account.trim())
    .filter((account) => account !== '');
  const reconcilerEnabled = context('reconcilerEnabled');
  const stripeEventBridgeSource = context('stripeEventBridgeSource');
  if (reconcilerEnabled !== undefined && reconcilerEnabled !== 'true' && reconcilerEnabled !== 'false') {
    throw new Error(`context reconcilerEnabled must be true or false, got ${JSON.stringify(reconcilerEnabled)}`);
  }
  return {
    ...(alarmEmail && { alarmEmail }),
    ...(namePrefix && { namePrefix }),
    ...(acceptedLivemodes && { acceptedLivemodes }),
    ...(reconcileAccounts && reconcileAccounts.length > 0 && { reconcileAccounts }),
    ...(reconcilerEnabled !== undefined && { reconcilerEnabled: reconcilerEnabled === 'true' }),
    ...(stripeEventBridgeSource && { stripeEventBridgeSource }),
  };
};

// Environment-agnostic unless the CLI resolved an account and region from the caller's profile.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
new ConnectWebhooksStack(app, 'StripeConnectWebhooks', {
  ...(account && region ? { env: { account, region } } : {}),
  description: 'Stripe Connect webhooks: verified ingest, SQS queue with DLQ, exactly-once worker, DynamoDB ledger and state, scheduled reconciler, alarms and dashboard',
  webhooks: webhooksFromContext(),
});

// Security review at every synth: an unacknowledged cdk-nag finding fails `cdk synth` and `cdk deploy`.
addNagChecks(app);
