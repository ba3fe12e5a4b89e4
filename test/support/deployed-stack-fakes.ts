import { randomBytes } from 'node:crypto';
import { startFakeCloudFormation } from './fake-cloudformation';
import type { FakeCloudFormation } from './fake-cloudformation';
import { startFakeSecretsManager } from './fake-secrets-manager';
import type { FakeSecretsManager } from './fake-secrets-manager';
import { useEnv } from './cli-runner';

/** A fake "deployed stack": CloudFormation and Secrets Manager on loopback, reached through the standard endpoint variables. */
export interface DeployedStackFakes {
  readonly secretsManager: FakeSecretsManager;
  readonly cloudFormation: FakeCloudFormation;
  /**
   * Declares a stack whose WebhookSecretName output names a new secret (holding `value`, or none) plus any
   * `outputs` given; returns the stack name and the secret's id as the output names it.
   */
  deploy(options?: { readonly value?: string; readonly outputs?: Readonly<Record<string, string>> }): { readonly stack: string; readonly secretId: string };
  stop(): Promise<void>;
}

/** A realistic Stripe signing secret: `whsec_` and 32 random characters. */
export const newSigningSecret = (): string => `whsec_${randomBytes(24).toString('base64url')}`;

export const startDeployedStackFakes = async (): Promise<DeployedStackFakes> => {
  const secretsManager = await startFakeSecretsManager();
  const cloudFormation = await startFakeCloudFormation();
  const env = useEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint });
  return {
    secretsManager,
    cloudFormation,
    deploy: (options = {}) => {
      const stack = `Webhooks-${randomBytes(4).toString('hex')}`;
      // The stack names the secret by ARN, as a CDK output of `secret.secretArn` would.
      const secretId = secretsManager.create(`${stack}-secret`, options.value);
      cloudFormation.addStack(stack, { WebhookSecretName: secretId, ...options.outputs });
      return { stack, secretId };
    },
    stop: async () => {
      env.restore();
      await Promise.all([secretsManager.stop(), cloudFormation.stop()]);
    },
  };
};
