import { CommanderError } from 'commander';
import type { Command } from 'commander';

/** Exit codes of `connect-webhooks`: 0 done, 1 failed or not found, 2 the command line was wrong. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A command line the CLI refuses before doing anything: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Commander's ways of ending that are not errors. */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.executeSubCommandAsync']);

/**
 * The exit code for what a command threw: commander's own refusals (unknown option or command, missing or invalid
 * argument, conflicting options) and {@link UsageError} are usage errors; anything else failed.
 */
export const exitCodeOf = (error: unknown): ExitCode => {
  if (error instanceof CommanderError) return COMMANDER_SUCCESS.has(error.code) ? ExitCode.ok : ExitCode.usage;
  return error instanceof UsageError ? ExitCode.usage : ExitCode.failed;
};

/** Makes commander throw instead of exiting, for this command and all below it, so {@link exitCodeOf} decides. */
export const throwInsteadOfExit = (command: Command): Command => {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExit(sub);
  return command;
};
