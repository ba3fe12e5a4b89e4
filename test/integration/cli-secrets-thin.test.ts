import { secretsCommand } from '../../cli/secrets-command';
import { runCli } from '../support/cli-runner';
import { newSigningSecret, startDeployedStackFakes } from '../support/deployed-stack-fakes';
import type { DeployedStackFakes } from '../support/deployed-stack-fakes';

const secretsCli = (args: readonly string[]) => runCli([secretsCommand()], ['secrets', ...args]);

describe('connect-webhooks secrets set/prune --thin on a stack, against fake CloudFormation and Secrets Manager', () => {
  let fakes: DeployedStackFakes;

  beforeAll(async () => {
    fakes = await startDeployedStackFakes();
  });

  afterAll(async () => {
    await fakes.stop();
  });

  const stored = (secretId: string): unknown => JSON.parse(fakes.secretsManager.valueOf(secretId) ?? 'null');

  test('--thin adds to the thin list of a secret written before the thin route, leaving the other two alone', async () => {
    // Prepare
    const [account, connect, thin] = [newSigningSecret(), newSigningSecret(), newSigningSecret()];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [account], connect: [connect] }) });

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--thin', thin]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(stored(secretId)).toEqual({ account: [account], connect: [connect], thin: [thin] });
  });

  test('after a thin rotation, prune keeps the newest thin secret', async () => {
    // Prepare
    const [old, fresh] = [newSigningSecret(), newSigningSecret()];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [], connect: [], thin: [old] }) });
    await secretsCli(['set', '--stack', stack, '--thin', fresh]);

    // Act
    const run = await secretsCli(['prune', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Removed 0 account, 0 connect and 1 thin secret(s)');
    expect(stored(secretId)).toEqual({ account: [], connect: [], thin: [fresh] });
  });
});
