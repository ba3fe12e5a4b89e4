import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { CheckResult } from '../../cli/doctor/check';
import { doctorCommand } from '../../cli/doctor-command';
import { runCli } from '../support/cli-runner';
import { startDoctorWorld } from '../support/doctor-stack';
import type { DoctorWorld, HealthyStackOptions } from '../support/doctor-stack';

jest.setTimeout(60_000);

describe('doctor --stack, against fakes of CloudFormation, Secrets Manager, CloudWatch and Stripe, and the emulators', () => {
  let world: DoctorWorld;

  beforeAll(async () => {
    world = await startDoctorWorld();
  });

  afterAll(async () => {
    await world.stop();
  });

  /** Runs `doctor --stack <stack> --json` and returns the exit code and each check by id. */
  const doctor = async (stack: string) => {
    const run = await runCli([doctorCommand()], ['doctor', '--stack', stack, '--json']);
    const report = JSON.parse(run.stdout) as { healthy: boolean; checks: CheckResult[] };
    return { exitCode: run.exitCode, healthy: report.healthy, check: (id: string) => report.checks.find((check) => check.id === id) };
  };
  const deployAndCheck = async (options: HealthyStackOptions = {}) => doctor((await world.deploy(options)).stack);

  test('a healthy stack passes every check and exits 0; without a thin route, the thin checks warn "not configured"', async () => {
    // Prepare
    const { stack } = await world.deploy();

    // Act
    const result = await doctor(stack);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.healthy).toBe(true);
    for (const id of ['setup', 'secrets.account', 'secrets.connect', 'stripe-api-key', 'stripe-endpoint.account', 'stripe-endpoint.connect', 'dead-letter-queue', 'queue-age', 'last-processed', 'reconciler', 'alarms']) {
      expect(result.check(id)).toEqual(expect.objectContaining({ status: 'ok' }));
    }
    expect(result.check('secrets.thin')).toEqual(expect.objectContaining({ status: 'warn', detail: expect.stringContaining('not configured') }));
    expect(result.check('stripe-destination.thin')).toEqual(expect.objectContaining({ status: 'warn', detail: expect.stringContaining('not configured') }));
  });

  test('the human checklist names the stack, each check and a total', async () => {
    // Prepare
    const { stack } = await world.deploy();

    // Act
    const run = await runCli([doctorCommand()], ['doctor', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`connect-webhooks doctor: stack ${stack} (us-east-1)`);
    expect(run.stdout).toMatch(/\[ ok \] Stripe endpoint: connect\s+we_/);
    expect(run.stdout).toContain('11 ok, 2 warnings, 0 failed, 0 skipped');
  });

  test('with a thin route, its secret and a thin destination subscribed to every Accounts v2 type pass', async () => {
    // Act
    const result = await deployAndCheck({ thin: true });

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.check('secrets.thin')?.status).toBe('ok');
    expect(result.check('stripe-destination.thin')?.status).toBe('ok');
  });

  test.each([
    ['a missing output', { omitOutputs: ['DashboardUrl'] }, 'setup', 'DashboardUrl', 'npx cdk deploy'],
    ['a route without a signing secret', { webhookSecret: JSON.stringify({ account: ['whsec_abcdefghijklmnopqrstuvwxyz'], connect: [] }) }, 'secrets.connect', 'no signing secret', 'secrets set --connect whsec_…'],
    ['no Connect endpoint at Stripe', { omitAtStripe: ['connect'] }, 'stripe-endpoint.connect', 'no Connect endpoint points at', 'endpoints create'],
    ['a disabled account endpoint', { endpointChanges: { account: { status: 'disabled' } } }, 'stripe-endpoint.account', 'is disabled', 'enable we_'],
    ['an endpoint that misses a handled event type', { endpointChanges: { connect: { enabled_events: ['account.updated'] } } }, 'stripe-endpoint.connect', 'does not subscribe to', 'endpoints create'],
    ['an endpoint pointing at another URL', { endpointChanges: { account: { url: 'https://old.example.com/webhooks/account' } } }, 'stripe-endpoint.account', 'no account endpoint points at', 'endpoints create'],
    ['a thin destination that misses Accounts v2 types', { thin: true, endpointChanges: { thin: { enabled_events: ['v2.core.account.updated'] } } }, 'stripe-destination.thin', 'v2.core.account[requirements].updated', 'endpoints create'],
    ['no thin destination at Stripe', { thin: true, omitAtStripe: ['thin'] }, 'stripe-destination.thin', 'no thin event destination points at', 'endpoints create'],
    ['an API key stored blank', { apiKey: ' ' }, 'stripe-api-key', 'no key stored', 'put-secret-value'],
    ['a reconciler that never completed a run', { neverReconciled: true }, 'reconciler', 'no completed run', 'reconciler log'],
  ] as const)('%s fails its check with the fix, and doctor exits 1', async (_case, options, id, detail, fix) => {
    // Act
    const result = await deployAndCheck(options as HealthyStackOptions);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check(id)).toEqual(expect.objectContaining({ status: 'fail', detail: expect.stringContaining(detail), fix: expect.stringContaining(fix) }));
  });

  test.each([
    [401, 'Stripe refused the key', 'put-secret-value'],
    [403, 'lacks read access to Events', 'read access to Events'],
  ] as const)('a key Stripe answers %s for fails the API key check with the fix', async (status, detail, fix) => {
    // Prepare
    const deployed = await world.deploy();
    world.stripe.refuseKey({ key: deployed.apiKey, pathPrefix: '/v1/events', status });

    // Act
    const result = await doctor(deployed.stack);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check('stripe-api-key')).toEqual(expect.objectContaining({ status: 'fail', detail: expect.stringContaining(detail), fix: expect.stringContaining(fix) }));
  });

  test('a message in the DLQ fails the DLQ check with the redrive as its fix', async () => {
    // Prepare
    const deployed = await world.deploy();
    await world.sqs.send(new SendMessageCommand({ QueueUrl: deployed.deadLetterQueueUrl, MessageBody: '{"id":"evt_dead"}' }));

    // Act
    const result = await doctor(deployed.stack);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check('dead-letter-queue')).toEqual(expect.objectContaining({ status: 'fail', detail: '1 message: events failed every delivery attempt', fix: expect.stringContaining('replay dlq') }));
  });

  test('a queued message older than 15 minutes (CloudWatch) fails the queue-age check', async () => {
    // Prepare
    const deployed = await world.deploy();
    const queueName = deployed.queueUrl.split('/').pop() ?? '';
    world.cloudWatch.setMetric(`AWS/SQS/ApproximateAgeOfOldestMessage|QueueName=${queueName}`, [{ atMs: Date.now() - 60_000, value: 40 * 60 }]);

    // Act
    const result = await doctor(deployed.stack);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check('queue-age')).toEqual(expect.objectContaining({ status: 'fail', detail: expect.stringContaining('40 min old'), fix: expect.stringContaining('event-queue-backlog') }));
  });

  test('an alarm in ALARM fails the alarms check and names it', async () => {
    // Prepare
    const deployed = await world.deploy();
    world.cloudWatch.setAlarm(`${deployed.prefix}-worker-errors`, 'ALARM');

    // Act
    const result = await doctor(deployed.stack);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check('alarms')).toEqual(expect.objectContaining({ status: 'fail', detail: `in ALARM: ${deployed.prefix}-worker-errors`, fix: expect.stringContaining('docs/operations.md') }));
  });

  test('no processed event in 24 hours is a warning, not a failure', async () => {
    // Prepare
    const deployed = await world.deploy();
    world.cloudWatch.setMetric(`ConnectWebhooks/${deployed.prefix}/EventsProcessed`, []);

    // Act
    const result = await doctor(deployed.stack);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.check('last-processed')).toEqual(expect.objectContaining({ status: 'warn', detail: 'none in the last 1 d 0 h', fix: expect.stringContaining('test webhook') }));
  });

  test('a stack that does not exist fails the setup check and exits 1', async () => {
    // Act
    const result = await doctor('NoSuchStack');

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.check('setup')).toEqual(expect.objectContaining({ status: 'fail', detail: expect.stringContaining('does not exist'), fix: expect.stringContaining('--stack') }));
  });
});
