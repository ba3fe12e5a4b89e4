import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { join } from 'node:path';
import Stripe from 'stripe';
import { accountsCommand } from '../../cli/accounts-command';
import { endpointsCommand } from '../../cli/endpoints-command';
import { eventsCommand } from '../../cli/events-command';
import { reconcileCommand } from '../../cli/reconcile-command';
import { replayCommand } from '../../cli/replay-command';
import { triggerCommand } from '../../cli/trigger-command';
import { version } from '../../package.json';
import { runCli, useEnv } from '../support/cli-runner';
import { stripeId } from '../support/event-factory';
import { writeStateFile } from '../support/pipeline-fixtures';
import { startTestPipeline } from './pipeline-harness';
import type { TestPipeline } from './pipeline-harness';

jest.setTimeout(60_000);

const BIN = join(__dirname, '..', '..', 'bin', 'connect-webhooks.cjs');
/** A state file no pipeline wrote: commands that need none must not look for one. */
const NO_PIPELINE = join(__dirname, 'no-such-dir', 'pipeline.json');
const EVENT_ID = /^(evt_[A-Za-z0-9]+)\s/;

/** A loopback endpoint recording what was posted to it, answering 200. */
const startRecorder = async (): Promise<{ url: string; requests: { path: string; headers: IncomingHttpHeaders; body: string }[]; close(): Promise<void> }> => {
  const requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

describe('CLI refusals without a pipeline: a clear message and exit code 2', () => {
  test('trigger --account \'\' is refused instead of using the template\'s account', async () => {
    // Prepare
    const args = ['trigger', 'account.updated', '--account', '', '--state', NO_PIPELINE];

    // Act
    const run = await runCli([triggerCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("option '--account <acct_id>' argument '' is invalid. must look like acct_…");
  });

  test('trigger of an unknown event type lists the known ones', async () => {
    // Prepare
    const args = ['trigger', 'payout.lost', '--state', NO_PIPELINE];

    // Act
    const run = await runCli([triggerCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Unknown event type "payout.lost". Choose one of:');
    expect(run.stderr).toContain('payout.paid');
  });

  test('replay range with --until before --since is refused, naming both times', async () => {
    // Prepare
    const args = ['replay', 'range', '--since', '1787000000', '--until', '1786990000', '--state', NO_PIPELINE];

    // Act
    const run = await runCli([replayCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--until (2026-08-17T18:06:40.000Z) must be after --since (2026-08-17T20:53:20.000Z)');
  });

  test('replay range --since 2h --until 3h (the end three hours ago, before the start) is refused', async () => {
    // Prepare
    const args = ['replay', 'range', '--since', '2h', '--until', '3h', '--state', NO_PIPELINE];

    // Act
    const run = await runCli([replayCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('must be after --since');
  });

  test('events show of something that is not an evt_ id is refused before any lookup', async () => {
    // Prepare
    const args = ['events', 'show', 'acct_1PgafTB7WZ01zgkW', '--state', NO_PIPELINE];

    // Act
    const run = await runCli([eventsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('must look like evt_…, got "acct_1PgafTB7WZ01zgkW"');
  });

  test('trigger --url without a signing secret or a local pipeline says what to pass', async () => {
    // Prepare
    const env = useEnv({ STRIPE_WEBHOOK_SECRET: '', STRIPE_CONNECT_WEBHOOK_SECRET: '' });

    // Act
    const run = await runCli([triggerCommand()], ['trigger', 'account.updated', '--url', 'http://127.0.0.1:9', '--state', NO_PIPELINE]);
    env.restore();

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("trigger --url needs the connect endpoint's signing secret: pass --secret whsec_… or set STRIPE_CONNECT_WEBHOOK_SECRET.");
  });
});

describe('trigger --url without a local pipeline', () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;

  beforeEach(async () => {
    recorder = await startRecorder();
  });

  afterEach(async () => {
    await recorder.close();
  });

  test('with --secret it posts the event signed with that secret', async () => {
    // Prepare
    const secret = 'whsec_cli_input_0123456789abcdef';

    // Act
    const run = await runCli([triggerCommand()], ['trigger', 'payout.paid', '--url', recorder.url, '--secret', secret, '--state', NO_PIPELINE]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(recorder.requests.map((request) => request.path)).toEqual(['/webhooks/connect']);
    const [request] = recorder.requests;
    const event = Stripe.webhooks.constructEvent(request!.body, String(request!.headers['stripe-signature']), secret);
    expect(event.type).toBe('payout.paid');
  });

  test('without --secret it signs with the route\'s secret from the environment', async () => {
    // Prepare
    const secret = 'whsec_cli_input_platform_0123456789';
    const env = useEnv({ STRIPE_WEBHOOK_SECRET: secret });

    // Act
    const run = await runCli([triggerCommand()], ['trigger', 'payment_intent.succeeded.destination', '--url', `${recorder.url}/`, '--state', NO_PIPELINE]);
    env.restore();

    // Assess
    expect(run.exitCode).toBe(0);
    const [request] = recorder.requests;
    expect(request?.path).toBe('/webhooks/account');
    expect(() => Stripe.webhooks.constructEvent(request!.body, String(request!.headers['stripe-signature']), secret)).not.toThrow();
  });
});

describe('CLI against a local pipeline', () => {
  let harness: TestPipeline;
  let stateFile: string;

  beforeAll(async () => {
    harness = await startTestPipeline();
    stateFile = writeStateFile({ pipeline: harness.pipeline, secrets: harness.secrets, endpoints: { dynamoDb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', sqs: process.env.AWS_ENDPOINT_URL_SQS ?? '' } });
  });

  afterAll(async () => {
    await harness.stop();
  });

  /** Triggers an event through the CLI and waits until the worker processed it. */
  const trigger = async (args: readonly string[]): Promise<string> => {
    const run = await runCli([triggerCommand()], ['trigger', ...args, '--state', stateFile]);
    const eventId = EVENT_ID.exec(run.stdout)?.[1];
    if (run.exitCode !== 0 || eventId === undefined) throw new Error(`trigger failed: ${run.stdout}${run.stderr}`);
    await harness.waitForStatus(eventId, 'processed');
    return eventId;
  };

  test('trigger payout.paid is processed, and its payout is recorded paid', async () => {
    // Prepare
    const account = stripeId('acct', 16);

    // Act
    await trigger(['payout.paid', '--account', account]);
    const run = await runCli([accountsCommand()], ['accounts', 'show', account, '--state', stateFile]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"status": "paid"');
  });

  test('trigger account.application.deauthorized says that the account\'s later events will be ignored', async () => {
    // Prepare
    const account = stripeId('acct', 16);

    // Act
    const run = await runCli([triggerCommand()], ['trigger', 'account.application.deauthorized', '--account', account, '--state', stateFile]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`Note: ${account} is now deauthorized: its events created from now on are recorded ignored.`);
  });

  test('events show of an unknown evt_ id is not found: exit 1', async () => {
    // Prepare
    const eventId = stripeId('evt');

    // Act
    const run = await runCli([eventsCommand()], ['events', 'show', eventId, '--state', stateFile]);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`No ledger record for ${eventId}`);
  });

  test('events list prints a header row and the received time it sorts by', async () => {
    // Prepare
    const eventId = await trigger(['balance.available', '--account', stripeId('acct', 16)]);
    const record = await harness.ledger.get({ eventId, nowMs: Date.now() });

    // Act
    const run = await runCli([eventsCommand()], ['events', 'list', '--limit', '50', '--state', stateFile]);

    // Assess
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['EVENT', 'STATUS', 'TYPE', 'ACCOUNT', 'MODE', 'RECEIVED (newest first)', 'CREATED', 'ATTEMPTS']);
    expect(rows.find((row) => row.startsWith(eventId))).toContain(record!.firstReceivedAt);
  });

  test('accounts list --live shows an account whose live mode has only balance data', async () => {
    // Prepare
    const account = stripeId('acct', 16);
    await trigger(['balance.available', '--account', account, '--livemode']);

    // Act
    const run = await runCli([accountsCommand()], ['accounts', 'list', '--live', '--state', stateFile]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').find((line) => line.startsWith(account))?.split(/\s{2,}/)).toEqual([account, 'live', '-', '-', '-', '-']);
  });
});

describe('the connect-webhooks executable', () => {
  const connectWebhooks = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { timeout: 45_000 }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }));
    });

  test('--version prints the package version', async () => {
    // Prepare
    const args = ['--version'];

    // Act
    const run = await connectWebhooks(args);

    // Assess
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('an unknown option is a usage error: exit 2, with the help after it', async () => {
    // Prepare
    const args = ['events', 'list', '--colour'];

    // Act
    const run = await connectWebhooks(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--colour'");
  });

  test('events show of a malformed id exits 2 from the executable too', async () => {
    // Prepare
    const args = ['events', 'show', 'not-an-event', '--state', NO_PIPELINE];

    // Act
    const run = await connectWebhooks(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must look like evt_…');
  });
});

describe('more refusals of the command line', () => {
  test('reconcile --account with something that is not an acct_ id is a usage error', async () => {
    // Prepare
    const args = ['reconcile', '--account', 'acct_1Good', '--account', 'cus_1Wrong', '--state', NO_PIPELINE];

    // Act
    const run = await runCli([reconcileCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('must look like acct_…, got "cus_1Wrong"');
  });

  test('endpoints create without --url or --stack says what to pass, as a usage error', async () => {
    // Prepare
    const args = ['endpoints', 'create'];

    // Act
    const run = await runCli([endpointsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Pass --url <api base url> (or --stack <name> to read it from the stack).');
  });
});
