import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Stops a child: SIGTERM, then SIGKILL if it has not exited in time. Resolves once it is gone. */
export const stopChild = async (child: ChildProcess, graceMs = 3000): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
};

/** The folder of an installed package, found by walking up from this file (works whatever its `exports`). */
export const packageDir = (name: string): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} is not installed: run npm ci`);
  }
};

/** The major version of the `java` on PATH, or undefined when there is none. */
export const javaMajorVersion = (): number | undefined => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (match === null) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
};

/** Polls `probe` until it resolves, or throws after `timeoutMs` with the last failure. */
export const waitFor = async (options: { readonly what: string; readonly probe: () => Promise<unknown>; readonly timeoutMs: number }): Promise<void> => {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await options.probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${options.what} did not become ready within ${options.timeoutMs} ms: ${String(lastError)}`);
};

/**
 * Calls `onGone` once the process that started this one has exited, which the kernel shows as a new parent
 * (the process is re-parented to init or a subreaper). Checked every second; the timer never keeps the process up.
 */
export const watchParent = (onGone: () => void, intervalMs = 1000): void => {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
};
