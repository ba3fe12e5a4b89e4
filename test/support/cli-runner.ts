import { Command, CommanderError } from 'commander';
import { exitCodeOf } from '../../cli/cli-errors';

/** What one CLI run printed and how it ended. */
export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

// Commander exits the process on its own errors and on --help; in a test worker it must throw instead.
const captureOutput = (command: Command, out: string[], err: string[]): void => {
  command.exitOverride().configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  for (const sub of command.commands) captureOutput(sub, out, err);
};

/**
 * Runs CLI commands in process, as `connect-webhooks <args>` would: stdout and stderr captured, and a thrown
 * error printed and turned into its exit code (2 for usage errors, else 1) the way `bin/connect-webhooks.ts` does.
 */
export const runCli = async (commands: readonly Command[], args: readonly string[]): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('connect-webhooks');
  for (const command of commands) program.addCommand(command);
  captureOutput(program, out, err);
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(`${parts.join(' ')}\n`));
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  const result = (exitCode: number): CliRun => ({ stdout: out.join(''), stderr: err.join(''), exitCode });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return result(Number(process.exitCode ?? 0));
  } catch (thrown) {
    if (thrown instanceof CommanderError) return result(exitCodeOf(thrown));
    err.push(`error: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
    return result(exitCodeOf(thrown));
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = savedExitCode;
  }
};

/** Sets environment variables for a block of tests and puts the previous values back. */
export const useEnv = (values: Readonly<Record<string, string>>): { restore(): void } => {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return {
    restore: () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
};
