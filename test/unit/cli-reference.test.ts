import { readFileSync } from 'node:fs';
import { CLI_REFERENCE_FILE, REGENERATE, renderCliReference } from '../../cli/cli-reference';
import { buildProgram } from '../../cli/program';

describe('the CLI reference in docs/cli.md', () => {
  test(`is the commands' current --help (if this fails, run \`${REGENERATE}\` and commit docs/cli.md)`, () => {
    // Prepare
    const committed = readFileSync(CLI_REFERENCE_FILE, 'utf8');

    // Act
    const current = renderCliReference();

    // Assess
    expect(committed).toBe(current);
  });

  test('no longer matches once a command\'s help changes', () => {
    // Prepare
    const committed = readFileSync(CLI_REFERENCE_FILE, 'utf8');
    const program = buildProgram();
    program.commands.find((command) => command.name() === 'doctor')?.option('--new-flag', 'an option added without regenerating the reference');

    // Act
    const changed = renderCliReference(program);

    // Assess
    expect(changed).not.toBe(committed);
    expect(changed).toContain('--new-flag');
  });

  test('covers every command and subcommand, each under its own heading', () => {
    // Prepare
    const names: string[] = [];
    const walk = (prefix: string, command: ReturnType<typeof buildProgram>): void => {
      names.push(prefix);
      for (const sub of command.commands) walk(`${prefix} ${sub.name()}`, sub);
    };
    walk('connect-webhooks', buildProgram());

    // Act
    const reference = renderCliReference();

    // Assess
    for (const name of names) expect(reference).toContain(`## \`${name}\``);
    expect(names).toEqual(expect.arrayContaining(['connect-webhooks doctor', 'connect-webhooks endpoints create', 'connect-webhooks replay range']));
  });
});
