import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from './program';

/** Where the generated reference lives, and the command that regenerates it. */
export const CLI_REFERENCE_FILE = join(__dirname, '..', 'docs', 'cli.md');
export const REGENERATE = 'npm run docs:cli';

/** Help is wrapped at a fixed width, so the reference does not depend on the terminal it was made in. */
const HELP_WIDTH = 100;

const commandPath = (command: Command): string => {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) names.unshift(current.name());
  return names.join(' ');
};

const sections = (command: Command): string[] => {
  command.configureHelp({ helpWidth: HELP_WIDTH });
  const own = [`## \`${commandPath(command)}\``, '', '```text', command.helpInformation().trimEnd(), '```', ''];
  return [...own, ...command.commands.flatMap(sections)];
};

/** The CLI reference in Markdown: every command's own `--help`, in the program's order, under a table of contents. */
export const renderCliReference = (program: Command = buildProgram()): string => {
  const all: Command[] = [];
  const walk = (command: Command): void => {
    all.push(command);
    command.commands.forEach(walk);
  };
  walk(program);
  const anchor = (command: Command) => commandPath(command).replace(/ /g, '-');
  return [
    '# CLI reference',
    '',
    `Generated from the commands' own \`--help\` by \`${REGENERATE}\`; do not edit by hand. A test fails when a command's`,
    'help changes and this file was not regenerated. Run any command with `--help` for the same text.',
    '',
    ...all.map((command) => `- [\`${commandPath(command)}\`](#${anchor(command)})`),
    '',
    ...sections(program),
  ].join('\n');
};

if (require.main === module) {
  writeFileSync(CLI_REFERENCE_FILE, renderCliReference());
  console.log(`wrote ${CLI_REFERENCE_FILE}`);
}
