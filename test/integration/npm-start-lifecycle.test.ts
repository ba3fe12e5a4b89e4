import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/free-port';
import { listenersOn } from '../support/listeners';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'connect-webhooks.cjs');

/** One checkout's local folder and ports, so this test's `npm start` shares nothing with a developer's. */
interface Checkout {
  readonly dir: string;
  readonly ports: { readonly http: number; readonly dynamoDb: number; readonly sqs: number };
  readonly env: NodeJS.ProcessEnv;
}

const newCheckout = async (): Promise<Checkout> => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-start-'));
  const ports = { http: await freePort(), dynamoDb: await freePort(), sqs: await freePort() };
  const env: NodeJS.ProcessEnv = { ...process.env, CONNECT_WEBHOOKS_LOCAL_DIR: dir, PORT: String(ports.http), LOCAL_DYNAMODB_PORT: String(ports.dynamoDb), LOCAL_SQS_PORT: String(ports.sqs) };
  // The emulators of the integration setup must not leak into the started pipeline's settings.
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS']) delete env[name];
  return { dir, ports, env };
};

/** `npm start`, resolved once it printed that the pipeline is ready (rejected if it exits before). */
const npmStart = (checkout: Checkout): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['start'], { cwd: ROOT, env: checkout.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('local pipeline ready')) resolve(child);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)));
  });

/** Runs a command to completion. */
const run = (file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(file, [...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }));
  });

/** Polls until `done` holds; throws with `what` if it never does within the limit. */
const waitUntil = async (what: string, done: () => boolean, limitMs = 60_000): Promise<void> => {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

const listening = (checkout: Checkout): number[] => Object.values(checkout.ports).filter((port) => listenersOn(port).length > 0);
const stateOf = (checkout: Checkout): { pid: number; url: string } => JSON.parse(readFileSync(join(checkout.dir, 'pipeline.json'), 'utf8')) as { pid: number; url: string };
const exited = (child: ChildProcess): Promise<void> => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('npm start: one pipeline per checkout, and every way of stopping stops everything', () => {
  let checkout: Checkout;
  let first: ChildProcess | undefined;

  beforeAll(async () => {
    checkout = await newCheckout();
    first = await npmStart(checkout);
  });

  afterAll(async () => {
    if (first !== undefined && first.exitCode === null) {
      first.kill('SIGTERM');
      await exited(first);
    }
  });

  test('a second npm start refuses with "already running (pid N, port P)" and leaves the first usable', async () => {
    // Prepare
    const before = stateOf(checkout);

    // Act
    const second = await run('npm', ['start'], checkout.env);

    // Assess
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`already running in this checkout (pid ${before.pid}, port ${checkout.ports.http})`);
    expect(stateOf(checkout)).toEqual(before);
    const health = await fetch(`${before.url}/health`);
    expect(health.status).toBe(200);
    const cli = await run(process.execPath, [BIN, 'events', 'list'], checkout.env);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
  });

  test('SIGTERM to the npm process leaves no listener on any of its ports, and removes its state and lock files', async () => {
    // Prepare
    const npm = first!;
    expect(listening(checkout).sort()).toEqual(Object.values(checkout.ports).sort());

    // Act
    npm.kill('SIGTERM');
    await exited(npm);
    await waitUntil('no listener on the pipeline\'s ports', () => listening(checkout).length === 0);

    // Assess
    expect(listening(checkout)).toEqual([]);
    expect(existsSync(join(checkout.dir, 'pipeline.json'))).toBe(false);
    expect(existsSync(join(checkout.dir, 'pipeline.lock'))).toBe(false);
  });

  test('SIGKILL of the pipeline process takes the emulators down with it, and the next start takes over its lock', async () => {
    // Prepare
    const killed = await newCheckout();
    const npm = await npmStart(killed);
    const { pid } = stateOf(killed);

    // Act
    process.kill(pid, 'SIGKILL');
    await waitUntil('no listener on the killed pipeline\'s ports', () => listening(killed).length === 0);
    const next = await npmStart(killed);

    // Assess
    expect(stateOf(killed).pid).not.toBe(pid);
    next.kill('SIGTERM');
    await Promise.all([exited(next), exited(npm)]);
    await waitUntil('no listener after the restart stopped', () => listening(killed).length === 0);
    expect(listening(killed)).toEqual([]);
  });
});
