import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { awsClientConfig } from '../functions/adapters/aws-clients';
import { cliAwsOptions } from './aws-options';
import type { Stack } from '@aws-sdk/client-cloudformation';
import { describeError } from '../functions/core/errors';

/** The outputs of the StripeConnectWebhooks stack the CLI reads, by what it uses them for. */
export const STACK_OUTPUT_KEYS = {
  accountWebhookUrl: 'AccountWebhookUrl',
  connectWebhookUrl: 'ConnectWebhookUrl',
  thinWebhookUrl: 'ThinWebhookUrl',
  webhookSecretName: 'WebhookSecretName',
  queueUrl: 'QueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  ledgerTableName: 'LedgerTableName',
  stateTableName: 'StateTableName',
  stripeApiKeySecretName: 'StripeApiKeySecretName',
} as const;
export type StackResource = keyof typeof STACK_OUTPUT_KEYS;

/** Which deployed stack to reach: `--stack` and `--region` (else the SDK's region: `AWS_REGION`, the profile). */
export interface StackOptions {
  readonly stack: string;
  readonly region?: string;
}

/** A deployed stack, found by name, and its resources as its outputs name them. */
export interface StackTarget {
  readonly stackName: string;
  /**
   * The region the stack was found in: `--region`, else the one the SDK resolved (`AWS_REGION`, the profile).
   * The adapters' small clients read only the environment, and a laptop often keeps its region in a profile.
   */
  readonly region: string;
  /** Every output of the stack, by OutputKey (for checks of outputs the CLI does not otherwise read). */
  readonly outputs: Readonly<Record<string, string>>;
  /** The output's value; throws a clear error when the stack has no such output. */
  resource(name: StackResource): string;
}

const regionLabel = async (client: CloudFormationClient): Promise<string> => {
  try {
    return `region ${await client.config.region()}`;
  } catch {
    return 'the default region';
  }
};

/** Turns an SDK failure into a message that says what to check; the CLI prints it and exits 1. */
const describeFailure = async (error: unknown, stack: string, client: CloudFormationClient): Promise<Error> => {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (/does not exist/i.test(message)) {
    return new Error(`Stack "${stack}" does not exist in ${await regionLabel(client)}. Check --stack, and --region (or AWS_REGION).`);
  }
  if (/region is missing/i.test(message)) return new Error('No AWS region configured: pass --region, or set AWS_REGION.');
  if (name === 'CredentialsProviderError') {
    return new Error(`No AWS credentials to describe stack "${stack}": set AWS_PROFILE (or run \`aws sso login\`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`);
  }
  return new Error(`Could not describe stack "${stack}": ${describeError(error)}`);
};

const targetOf = (stack: Stack, options: StackOptions & { readonly region: string }): StackTarget => {
  const outputs = new Map((stack.Outputs ?? []).flatMap((output) => (output.OutputKey && output.OutputValue !== undefined ? [[output.OutputKey, output.OutputValue] as const] : [])));
  return {
    stackName: options.stack,
    region: options.region,
    outputs: Object.fromEntries(outputs),
    resource: (name) => {
      const key = STACK_OUTPUT_KEYS[name];
      const value = outputs.get(key);
      if (value !== undefined && value !== '') return value;
      const present = outputs.size === 0 ? 'none' : [...outputs.keys()].join(', ');
      throw new Error(
        `Stack "${options.stack}" (${stack.StackStatus ?? 'status unknown'}) has no output "${key}"; its outputs: ${present}. ` +
          'Is it a StripeConnectWebhooks stack, deployed completely with this version?',
      );
    },
  };
};

/**
 * Finds a deployed stack with CloudFormation `DescribeStacks` and maps its outputs to the resources the CLI
 * talks to. The client comes from the standard AWS settings (`AWS_ENDPOINT_URL_CLOUDFORMATION` included).
 */
export const loadStackTarget = async (options: StackOptions & { readonly client?: CloudFormationClient }): Promise<StackTarget> => {
  const client = options.client ?? new CloudFormationClient(awsClientConfig(cliAwsOptions(options.region)));
  try {
    const result = await client.send(new DescribeStacksCommand({ StackName: options.stack }));
    const stack = result.Stacks?.[0];
    if (stack === undefined) throw new Error(`Stack with id ${options.stack} does not exist`);
    return targetOf(stack, { ...options, region: options.region ?? (await client.config.region()) });
  } catch (error) {
    throw await describeFailure(error, options.stack, client);
  } finally {
    if (options.client === undefined) client.destroy();
  }
};
