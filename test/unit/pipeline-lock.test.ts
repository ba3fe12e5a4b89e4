import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineAlreadyRunningError, acquirePipelineLock } from '../../local/pipeline-lock';
import { captureError } from '../support/capture-error';

const lockFile = (): string => join(mkdtempSync(join(tmpdir(), 'cw-lock-')), 'pipeline.lock');

/** The id of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid ?? 999_999;

describe('pipeline lock: one pipeline per checkout', () => {
  test('a second taker is refused with the holder\'s pid and port', () => {
    // Prepare
    const file = lockFile();
    acquirePipelineLock({ file, port: 4242 });

    // Act
    const error = captureError(() => acquirePipelineLock({ file, port: 5252, pid: process.pid + 1 }));

    // Assess
    expect(error).toBeInstanceOf(PipelineAlreadyRunningError);
    expect((error as Error).message).toContain(`already running in this checkout (pid ${process.pid}, port 4242)`);
  });

  test('update records the port actually listened on', () => {
    // Prepare
    const file = lockFile();
    const lock = acquirePipelineLock({ file, port: 0 });

    // Act
    lock.update(40123);

    // Assess
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, port: 40123 });
  });

  test('a lock left by a process that no longer exists is taken over', () => {
    // Prepare
    const file = lockFile();
    writeFileSync(file, JSON.stringify({ pid: deadPid(), port: 4242, startedAt: '2026-01-01T00:00:00.000Z' }));

    // Act
    acquirePipelineLock({ file, port: 4343 });

    // Assess
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, port: 4343 });
  });

  test('a half-written lock file is taken over', () => {
    // Prepare
    const file = lockFile();
    writeFileSync(file, '{"pid": 12');

    // Act
    acquirePipelineLock({ file, port: 4242 });

    // Assess
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  test('release removes the lock only while it is the holder\'s', () => {
    // Prepare
    const file = lockFile();
    const lock = acquirePipelineLock({ file, port: 4242 });
    writeFileSync(file, JSON.stringify({ pid: process.pid + 1, port: 5252, startedAt: 'now' }));

    // Act
    lock.release();

    // Assess
    expect(existsSync(file)).toBe(true);
  });

  test('release removes the holder\'s own lock', () => {
    // Prepare
    const file = lockFile();
    const lock = acquirePipelineLock({ file, port: 4242 });

    // Act
    lock.release();

    // Assess
    expect(existsSync(file)).toBe(false);
  });
});
