import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { newSigningSecret, startDeployedStackFakes } from '../support/deployed-stack-fakes';
import type { DeployedStackFakes } from '../support/deployed-stack-fakes';

jest.setTimeout(60_000);

const BIN = join(__dirname, '..', '..', 'bin', 'connect-webhooks.cjs');

/** Runs `connect-webhooks` as a user would; the fakes' endpoints reach it through the inherited AWS_ENDPOINT_URL_* variables. */
const connectWebhooks = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: process.env, timeout: 45_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });

describe('the connect-webhooks executable against a deployed stack (fakes on loopback)', () => {
  let fakes: DeployedStackFakes;

  beforeAll(async () => {
    fakes = await startDeployedStackFakes();
  });

  afterAll(async () => {
    await fakes.stop();
  });

  test('secrets set --stack adds the secret to the stack\'s secret and exits 0', async () => {
    // Prepare
    const { stack, secretId } = fakes.deploy({ value: JSON.stringify({ account: [], connect: [] }) });
    const secret = newSigningSecret();

    // Act
    const run = await connectWebhooks(['secrets', 'set', '--stack', stack, '--connect', secret]);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(fakes.secretsManager.valueOf(secretId) ?? '{}')).toEqual({ account: [], connect: [secret] });
  });

  test('events show --stack on a stack that does not exist prints the error on stderr and exits 1', async () => {
    // Prepare
    const args = ['events', 'show', 'evt_1NoSuchEvent', '--stack', 'NoSuchStack'];

    // Act
    const run = await connectWebhooks(args);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: Stack "NoSuchStack" does not exist in region us-east-1.');
  });
});
