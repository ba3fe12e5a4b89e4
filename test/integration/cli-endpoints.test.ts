import { endpointsCommand, enabledEvents } from '../../cli/endpoints-command';
import { runCli, useEnv } from '../support/cli-runner';
import { startDeployedStackFakes } from '../support/deployed-stack-fakes';
import type { DeployedStackFakes } from '../support/deployed-stack-fakes';
import { startFakeStripe } from '../support/fake-stripe';
import type { FakeStripe } from '../support/fake-stripe';

jest.setTimeout(30_000);

describe('endpoints create, against a fake Stripe and a fake deployed stack', () => {
  let stripe: FakeStripe;
  let aws: DeployedStackFakes;
  let env: { restore(): void };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    aws = await startDeployedStackFakes();
    env = useEnv({ STRIPE_API_BASE_URL: stripe.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAFAKE', AWS_SECRET_ACCESS_KEY: 'fake' });
  });

  afterAll(async () => {
    env.restore();
    await aws.stop();
    await stripe.stop();
  });

  test('creates the account and Connect endpoints and the thin destination with the handled events and stores the three secrets in the stack', async () => {
    // Prepare
    const apiKeySecret = aws.secretsManager.create('api-key', 'rk_test_fakekey');
    const { stack, secretId } = aws.deploy({ value: '{"account":[],"connect":[]}', outputs: { AccountWebhookUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/account', StripeApiKeySecretName: apiKeySecret } });

    // Act
    const run = await runCli([endpointsCommand()], ['endpoints', 'create', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(stripe.endpoints).toEqual([
      expect.objectContaining({ url: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/account', application: null, enabled_events: enabledEvents(false) }),
      expect.objectContaining({ url: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/connect', application: 'ca_fake', enabled_events: enabledEvents(true) }),
    ]);
    expect(JSON.parse(aws.secretsManager.valueOf(secretId) ?? '{}')).toEqual({ account: ['whsec_created1abcdef'], connect: ['whsec_created2abcdef'], thin: ['whsec_thin_created1abcdef'] });
  });

  test('run again, it updates the existing endpoints and leaves the stored secrets alone', async () => {
    // Prepare
    const apiKeySecret = aws.secretsManager.create('api-key-2', 'rk_test_fakekey');
    const { stack, secretId } = aws.deploy({ value: '{"account":["whsec_kept"],"connect":["whsec_kept2"]}', outputs: { AccountWebhookUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/account', StripeApiKeySecretName: apiKeySecret } });
    const before = stripe.endpoints.length;

    // Act
    const run = await runCli([endpointsCommand()], ['endpoints', 'create', '--stack', stack]);

    // Assess
    expect(run.stdout).toContain('already there; events updated, secret unchanged');
    expect(stripe.endpoints).toHaveLength(before);
    expect(JSON.parse(aws.secretsManager.valueOf(secretId) ?? '{}')).toEqual({ account: ['whsec_kept'], connect: ['whsec_kept2'] });
  });

  test('the Connect endpoint subscribes to every projected Connect type; the account endpoint to the platform’s', () => {
    // Act
    const [account, connect] = [enabledEvents(false), enabledEvents(true)];

    // Assess
    expect(connect).toEqual(expect.arrayContaining(['account.updated', 'account.application.deauthorized', 'person.updated', 'account.external_account.updated', 'payout.failed', 'payout.paid', 'payment_intent.succeeded', 'balance.available']));
    expect(account).toEqual(['balance.available', 'payment_intent.succeeded', 'payout.failed', 'payout.paid']);
  });
});
