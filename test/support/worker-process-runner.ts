import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from '../../local/child-process';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'local', 'worker-process.ts');

/** A `local/worker-process.ts` running as a child of the test. */
export interface WorkerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last few KB of its stdout and stderr, for failure messages. */
  output(): string;
  /** Kills it at once, as a crashed Lambda ends: no batch finishes, nothing is deleted. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (its batches in flight finish), SIGKILL after a grace period; resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts the worker alone in its own Node process (through tsx), with the given settings as environment
 * variables (see `local/worker-process.ts`), and resolves once it polls. It exits by itself should this
 * process die, since it watches the stdin pipe it gets from here.
 */
export const startWorkerProcess = async (settings: Readonly<Record<string, string>>, readyTimeoutMs = 30_000): Promise<WorkerProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN', ...settings, EXIT_WITH_STDIN: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const worker: WorkerProcess = {
    pid: child.pid ?? -1,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopChild(child, 5000),
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker process was not ready within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
      const onData = () => {
        if (!output.includes('worker-process ready')) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the worker process exited (code ${code}, signal ${signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
};
