import { secretsCommand } from '../../cli/secrets-command';
import { runCli } from '../support/cli-runner';
import { newSigningSecret, startDeployedStackFakes } from '../support/deployed-stack-fakes';
import type { DeployedStackFakes } from '../support/deployed-stack-fakes';

const secretsCli = (args: readonly string[]) => runCli([secretsCommand()], ['secrets', ...args]);

describe('connect-webhooks secrets set --stack, against fake CloudFormation and Secrets Manager', () => {
  let fakes: DeployedStackFakes;

  beforeAll(async () => {
    fakes = await startDeployedStackFakes();
  });

  afterAll(async () => {
    await fakes.stop();
  });

  const stored = (secretId: string): unknown => JSON.parse(fakes.secretsManager.valueOf(secretId) ?? 'null');

  test('on a secret that has no value yet, it writes both lists', async () => {
    // Prepare
    const { stack, secretId } = fakes.deploy();
    const [account, connect] = [newSigningSecret(), newSigningSecret()];

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--account', account, '--connect', connect]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(stored(secretId)).toEqual({ account: [account], connect: [connect] });
  });

  test("appends the new secret to its endpoint's list, newest last, and leaves the other list alone", async () => {
    // Prepare
    const [old, fresh, connect] = [newSigningSecret(), newSigningSecret(), newSigningSecret()];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [old], connect: [connect] }) });

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--account', fresh]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(stored(secretId)).toEqual({ account: [old, fresh], connect: [connect] });
  });

  test('a secret already newest in its list is not added twice and nothing is written', async () => {
    // Prepare
    const [old, current] = [newSigningSecret(), newSigningSecret()];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [old, current], connect: [] }) });

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--account', current]);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('already newest');
    expect(fakes.secretsManager.versionCount(secretId)).toBe(1);
  });

  test('a secret listed earlier moves to the end instead of being duplicated', async () => {
    // Prepare
    const [first, second] = [newSigningSecret(), newSigningSecret()];
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [], connect: [first, second] }) });

    // Act
    await secretsCli(['set', '--stack', stack, '--connect', first]);

    // Assess
    expect(stored(secretId)).toEqual({ account: [], connect: [second, first] });
  });

  test('prints what it did with secrets masked, never a full secret', async () => {
    // Prepare
    const { stack } = fakes.deploy();
    const secret = newSigningSecret();

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--connect', secret]);

    // Assess
    expect(run.stdout).toContain(`connect: whsec_…${secret.slice(-4)} added`);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  test('a value without the whsec_ prefix is refused before anything is read or written, and not echoed', async () => {
    // Prepare
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [], connect: [] }) });
    const readsBefore = fakes.secretsManager.calls('GetSecretValue');
    const apiKey = 'sk_live_it_pasted_the_wrong_thing_0123456789';

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--account', newSigningSecret(), '--account', apiKey]);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--account value 2 is not a Stripe webhook signing secret');
    expect(run.stdout + run.stderr).not.toContain(apiKey);
    expect(fakes.secretsManager.calls('GetSecretValue')).toBe(readsBefore);
    expect(fakes.secretsManager.versionCount(secretId)).toBe(1);
  });

  test('without --account or --connect it says what to pass and exits 2 (usage)', async () => {
    // Prepare
    const { stack } = fakes.deploy();

    // Act
    const run = await secretsCli(['set', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Nothing to add: pass --account whsec_…, --connect whsec_… and/or --thin whsec_…');
  });

  test('a secret holding something other than the lists is left unchanged, with an error that quotes none of it', async () => {
    // Prepare
    const content = 'whsec_it_some_hand_written_text_000000';
    const { stack, secretId } = fakes.deploy({ value: content });

    // Act
    const run = await secretsCli(['set', '--stack', stack, '--account', newSigningSecret()]);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('is not valid JSON');
    expect(run.stderr).not.toContain('_it_');
    expect(fakes.secretsManager.valueOf(secretId)).toBe(content);
  });

  test('without --stack it explains where the local pipeline takes its secrets from, and exits 2 (usage)', async () => {
    // Prepare
    const secret = newSigningSecret();

    // Act
    const run = await secretsCli(['set', '--account', secret]);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('STRIPE_WEBHOOK_SECRET');
    expect(run.stderr).toContain('STRIPE_CONNECT_WEBHOOK_SECRET');
    expect(run.stderr).toContain('pass --stack <name>');
  });

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
