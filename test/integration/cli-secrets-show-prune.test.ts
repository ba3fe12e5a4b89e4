import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretsCommand } from '../../cli/secrets-command';
import { runCli } from '../support/cli-runner';
import { newSigningSecret, startDeployedStackFakes } from '../support/deployed-stack-fakes';
import type { DeployedStackFakes } from '../support/deployed-stack-fakes';

const secretsCli = (args: readonly string[]) => runCli([secretsCommand()], ['secrets', ...args]);
const secretsOf = (count: number): string[] => Array.from({ length: count }, newSigningSecret);

describe('connect-webhooks secrets prune and show', () => {
  let fakes: DeployedStackFakes;

  beforeAll(async () => {
    fakes = await startDeployedStackFakes();
  });

  afterAll(async () => {
    await fakes.stop();
  });

  const stored = (secretId: string): unknown => JSON.parse(fakes.secretsManager.valueOf(secretId) ?? 'null');

  test('prune keeps only the newest secret of each list by default', async () => {
    // Prepare
    const [account, connect] = [secretsOf(3), secretsOf(2)];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account, connect }) });

    // Act
    const run = await secretsCli(['prune', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(stored(secretId)).toEqual({ account: account.slice(-1), connect: connect.slice(-1) });
  });

  test('prune --keep N keeps the newest N of each list', async () => {
    // Prepare
    const [account, connect] = [secretsOf(4), secretsOf(1)];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account, connect }) });

    // Act
    await secretsCli(['prune', '--stack', stack, '--keep', '2']);

    // Assess
    expect(stored(secretId)).toEqual({ account: account.slice(-2), connect });
  });

  test('prune with nothing to drop writes no new version', async () => {
    // Prepare
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: secretsOf(1), connect: secretsOf(1) }) });

    // Act
    const run = await secretsCli(['prune', '--stack', stack]);

    // Assess
    expect(run.stdout).toContain('Nothing to prune');
    expect(fakes.secretsManager.versionCount(secretId)).toBe(1);
  });

  test('prune --keep 0 is refused: an endpoint without a secret refuses every event', async () => {
    // Prepare
    const { stack } = fakes.deploy({ value: JSON.stringify({ account: secretsOf(1), connect: secretsOf(1) }) });

    // Act
    const run = await secretsCli(['prune', '--stack', stack, '--keep', '0']);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('must be a positive integer');
  });

  test('show prints each list masked with its count, oldest first, and no full secret', async () => {
    // Prepare
    const [account, connect] = [secretsOf(2), secretsOf(1)];
    const { stack } = fakes.deploy({ value: JSON.stringify({ account, connect }) });

    // Act
    const run = await secretsCli(['show', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`account +2 secrets +whsec_…${account[0]?.slice(-4)}, whsec_…${account[1]?.slice(-4)}`));
    expect(run.stdout).toMatch(new RegExp(`connect +1 secret +whsec_…${connect[0]?.slice(-4)}`));
    for (const secret of [...account, ...connect]) expect(run.stdout).not.toContain(secret);
  });

  test('show on a secret with no value yet says how to add secrets', async () => {
    // Prepare
    const { stack } = fakes.deploy();

    // Act
    const run = await secretsCli(['show', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`secrets set --stack ${stack}`);
  });

  test('show without --stack prints the local pipeline\'s lists masked and where they come from', async () => {
    // Prepare
    const [account, connect] = [newSigningSecret(), newSigningSecret()];
    const stateFile = join(mkdtempSync(join(tmpdir(), 'cli-secrets-')), 'pipeline.json');
    writeFileSync(stateFile, JSON.stringify({ secrets: { account: [account], connect: [connect] } }));

    // Act
    const run = await secretsCli(['--state', stateFile, 'show']);

    // Assess
    expect(run.stdout).toContain(`whsec_…${account.slice(-4)}`);
    expect(run.stdout).toContain('STRIPE_CONNECT_WEBHOOK_SECRET');
    expect(run.stdout).not.toContain(account);
  });

  test.each(['show', 'set', 'prune'])('secrets %s --help documents --stack and --region', async (name) => {
    // Prepare
    const args = [name, '--help'];

    // Act
    const run = await secretsCli(args);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('--stack <name>');
    expect(run.stdout).toContain('--region <region>');
  });
});
