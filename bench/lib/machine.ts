import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { javaMajorVersion } from '../../local/child-process';

/** The machine the figures come from. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly java: string;
  readonly os: string;
}

const cpuModel = (): string => {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => /^model name\s*:/.test(entry));
    if (line !== undefined) return line.replace(/^model name\s*:\s*/, '').trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return cpus()[0]?.model.trim() ?? 'unknown';
};

const javaVersion = (): string => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const line = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n')[0]?.trim();
  return line === undefined || line === '' ? `major ${javaMajorVersion() ?? 'none'}` : line;
};

export const machineInfo = (): MachineInfo => ({
  cpuModel: cpuModel(),
  cores: cpus().length,
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  java: javaVersion(),
  os: `${process.platform} ${release()}`,
});
