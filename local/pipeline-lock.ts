import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

/** What the lock file says about the pipeline holding it. */
export interface PipelineLockOwner {
  readonly pid: number;
  readonly port: number;
  readonly startedAt: string;
}

/** A second `npm start` in a checkout whose pipeline is running. */
export class PipelineAlreadyRunningError extends Error {
  constructor(readonly owner: PipelineLockOwner) {
    super(
      `A local pipeline is already running in this checkout (pid ${owner.pid}, port ${owner.port}), started ${owner.startedAt}. ` +
        `Use it, or stop it first (Ctrl-C in its terminal, or kill ${owner.pid}).`,
    );
    this.name = 'PipelineAlreadyRunningError';
  }
}

/** The lock held by this process. */
export interface PipelineLock {
  /** Records the port actually listened on (the lock is taken before the server starts). */
  update(port: number): void;
  /** Removes the lock file, if it is still this process's. */
  release(): void;
}

/** Whether a process with this id exists (EPERM: it exists, owned by someone else). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (file: string): PipelineLockOwner | undefined => {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<PipelineLockOwner>;
    return typeof owner.pid === 'number' && typeof owner.port === 'number' ? { pid: owner.pid, port: owner.port, startedAt: String(owner.startedAt) } : undefined;
  } catch {
    return undefined;
  }
};

/** Creates the file only if it does not exist: two starts racing cannot both win. */
const createExclusively = (file: string, owner: PipelineLockOwner): boolean => {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeFileSync(fd, `${JSON.stringify(owner)}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
};

/**
 * One pipeline per checkout: takes `file` for this process, or throws {@link PipelineAlreadyRunningError} naming
 * the running one. A lock left by a process that no longer exists (killed with SIGKILL, a crashed machine) is
 * taken over.
 */
export const acquirePipelineLock = (options: { readonly file: string; readonly port: number; readonly pid?: number; readonly nowMs?: number }): PipelineLock => {
  const pid = options.pid ?? process.pid;
  const owner: PipelineLockOwner = { pid, port: options.port, startedAt: new Date(options.nowMs ?? Date.now()).toISOString() };
  mkdirSync(dirname(options.file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (createExclusively(options.file, owner)) {
      return {
        update: (port) => {
          if (readOwner(options.file)?.pid === pid) writeFileSync(options.file, `${JSON.stringify({ ...owner, port })}\n`, { mode: 0o600 });
        },
        release: () => {
          if (readOwner(options.file)?.pid === pid) rmSync(options.file, { force: true });
        },
      };
    }
    const holder = readOwner(options.file);
    // A half-written file (a start killed between create and write) counts as stale too.
    if (holder !== undefined && holder.pid !== pid && isAlive(holder.pid)) throw new PipelineAlreadyRunningError(holder);
    rmSync(options.file, { force: true });
  }
  throw new Error(`could not take the pipeline lock ${options.file}: another start is taking it at the same moment`);
};
