import { endpointsCommand } from '../../cli/endpoints-command';
import { thinEnabledEvents } from '../../cli/event-destinations';
import { runCli, useEnv } from '../support/cli-runner';
import { startFakeStripe } from '../support/fake-stripe';
import type { FakeStripe } from '../support/fake-stripe';

jest.setTimeout(30_000);

describe('endpoints create: the thin and EventBridge event destinations, against a fake Stripe', () => {
  let stripe: FakeStripe;
  let env: { restore(): void };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    env = useEnv({ STRIPE_API_BASE_URL: stripe.endpoint, STRIPE_API_KEY: 'sk_test_destinations_fake' });
  });

  afterAll(async () => {
    env.restore();
    await stripe.stop();
  });

  test('creates a thin webhook destination from @self and @accounts with every Accounts v2 type, and prints its secret for npm start', async () => {
    // Prepare
    const args = ['endpoints', 'create', '--url', 'https://hooks.example.com'];

    // Act
    const run = await runCli([endpointsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(stripe.destinations).toEqual([
      expect.objectContaining({ type: 'webhook_endpoint', event_payload: 'thin', events_from: ['@self', '@accounts'], enabled_events: thinEnabledEvents(), webhook_endpoint: { url: 'https://hooks.example.com/webhooks/thin' } }),
    ]);
    expect(run.stdout).toContain('STRIPE_THIN_WEBHOOK_SECRET=whsec_thin_created1abcdef');
  });

  test('run again, it updates the thin destination instead of creating another; --eventbridge adds the EventBridge destination and names its event source', async () => {
    // Prepare
    const args = ['endpoints', 'create', '--url', 'https://hooks.example.com', '--eventbridge', '123456789012:eu-west-1'];

    // Act
    const run = await runCli([endpointsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('thin endpoint ed_test_1: already there; events updated, secret unchanged');
    expect(stripe.destinations).toHaveLength(2);
    expect(stripe.destinations[1]).toEqual(expect.objectContaining({ type: 'amazon_eventbridge', event_payload: 'thin', amazon_eventbridge: expect.objectContaining({ aws_account_id: '123456789012', aws_region: 'eu-west-1' }) }));
    expect(run.stdout).toContain('-c stripeEventBridgeSource=aws.partner/stripe.com/ed_test_2');
  });

  test('a malformed --eventbridge value is refused with the expected form', async () => {
    // Prepare
    const args = ['endpoints', 'create', '--url', 'https://hooks.example.com', '--eventbridge', 'eu-west-1'];

    const callsBefore = stripe.calls.length;

    // Act
    const run = await runCli([endpointsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(stripe.calls).toHaveLength(callsBefore);
    expect(run.stderr).toContain('--eventbridge must be <12-digit AWS account id>:<region>');
  });
});
