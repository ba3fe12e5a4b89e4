import { spawn } from 'node:child_process';
import { FAUXQS_LOOPBACK_SCRIPT, collectOutput, spawnDynamoDbLocal } from '../../local/emulators';
import { freePort } from '../../local/free-port';
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { javaMajorVersion, stopChild, waitFor } from '../../local/child-process';
import { LOCAL_AWS } from '../../local/emulators';

/**
 * Every process the benchmark starts is registered here before anything waits on it, and is stopped by
 * `stopAll` (try/finally), by the exit handlers (SIGKILL on any exit), and, should this process itself be killed
 * with SIGKILL, by a detached watchdog that kills them when our end of its stdin pipe closes.
 */
const children = new Set<ChildProcess>();
/** Every process ever tracked, to check at the end that none is left. */
const started: Array<{ readonly pid: number; readonly name: string }> = [];

// The watchdog: a tiny detached node process. It reads "+pid" / "-pid" lines; when its stdin ends (we exited,
// however we exited) it SIGKILLs every pid still registered. It ignores the terminal's signals: it must outlive us.
const WATCHDOG = `
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);
const pids = new Set();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  process.exit(0);
});
process.stdin.on('error', () => process.stdin.emit('end'));
`;

let watchdog: ChildProcess | undefined;

const tellWatchdog = (line: string): void => {
  if (watchdog?.stdin?.writable) watchdog.stdin.write(`${line}\n`);
};

const killAllNow = (): void => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
};

let installed = false;
/** Installs the exit handlers and starts the watchdog; call once, first thing. */
export const installProcessGuards = (): void => {
  if (installed) return;
  installed = true;
  watchdog = spawn(process.execPath, ['-e', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  process.on('exit', killAllNow);
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench: ${signal}, stopping the processes it started…\n`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
};

/** Registers a child process: it is stopped on exit whatever happens. */
export const track = (child: ChildProcess, name: string): ChildProcess => {
  children.add(child);
  if (child.pid !== undefined) {
    started.push({ pid: child.pid, name });
    tellWatchdog(`+${child.pid}`);
  }
  child.once('exit', () => {
    children.delete(child);
    if (child.pid !== undefined) tellWatchdog(`-${child.pid}`);
  });
  return child;
};

/** Stops one tracked child (SIGTERM, then SIGKILL after a grace period). */
export const stop = async (child: ChildProcess): Promise<void> => {
  await stopChild(child, 5000);
  children.delete(child);
};

/** Stops every tracked child, then lets the watchdog go. */
export const stopAll = async (): Promise<void> => {
  await Promise.all([...children].map((child) => stop(child).catch(() => child.kill('SIGKILL'))));
  watchdog?.stdin?.end();
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The processes this run started, and which of them are still running (SIGKILLed on the spot if any). */
export const leftoverCheck = (): { readonly started: ReadonlyArray<{ pid: number; name: string }>; readonly leftovers: ReadonlyArray<{ pid: number; name: string }> } => {
  const leftovers = started.filter(({ pid }) => alive(pid));
  for (const { pid } of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone in the meantime.
    }
  }
  return { started: [...started], leftovers };
};

export { freePort };

/** A running emulator, tracked from the moment it was spawned. */
export interface BenchEmulator {
  readonly endpoint: string;
  readonly process: ChildProcess;
}

/** Waits for an emulator's probe; stops the child if it never becomes ready (local/emulators.ts would leave it). */
const ready = async (child: ChildProcess, what: string, endpoint: string, probe: () => Promise<unknown>): Promise<BenchEmulator> => {
  track(child, what);
  const output = collectOutput(child);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${what} exited (code ${code}) before it was ready:\n${output()}`))));
  exited.catch(() => undefined);
  try {
    await Promise.race([waitFor({ what, probe, timeoutMs: 60_000 }), exited]);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { endpoint, process: child };
};

/** DynamoDB Local (in memory, shared database) on a free loopback port. */
export const startDynamoDbLocal = async (): Promise<BenchEmulator> => {
  const java = javaMajorVersion();
  if (java === undefined || java < 17) throw new Error(`DynamoDB Local needs Java 17 or newer on PATH (found: ${java ?? 'none'})`);
  const port = await freePort();
  const child = spawnDynamoDbLocal({ port, dataDir: undefined });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1 });
  try {
    return await ready(child, 'DynamoDB Local', endpoint, () => client.send(new ListTablesCommand({})));
  } finally {
    client.destroy();
  }
};

/** The fauxqs SQS emulator on a free loopback port. */
export const startFauxqs = async (): Promise<BenchEmulator> => {
  const port = await freePort();
  const child = spawn(process.execPath, [FAUXQS_LOOPBACK_SCRIPT], {
    env: { ...process.env, FAUXQS_PORT: String(port), FAUXQS_HOST: 'localhost', FAUXQS_LOGGER: 'false', FAUXQS_DEFAULT_REGION: LOCAL_AWS.region },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1, useQueueUrlAsEndpoint: false });
  try {
    return await ready(child, 'fauxqs', endpoint, () => client.send(new ListQueuesCommand({})));
  } finally {
    client.destroy();
  }
};
