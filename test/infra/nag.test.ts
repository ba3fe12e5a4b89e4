import { App, Stack, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import { addNagChecks, nagPacks } from '../../lib/nag';
import type { StripeConnectWebhooksProps } from '../../lib/stripe-connect-webhooks';
import { synthesize } from './fixture';

/**
 * Configurations whose resources differ: the default, the e-mail subscription that `alarmEmail` adds, no reconcile
 * schedule, and a Stripe API key secret passed in (by its complete ARN) instead of created.
 */
const CONFIGURATIONS: [string, StripeConnectWebhooksProps][] = [
  ['the default stack', {}],
  ['a stack with alarmEmail', { alarmEmail: 'ops@example.com' }],
  ['a stack with reconcilerEnabled: false', { reconcilerEnabled: false }],
  ['a stack with the webhook front on an existing web ACL', { webhookFront: { webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/stripe/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' } }],
  ['a stack with a Stripe EventBridge destination', { stripeEventBridgeSource: 'aws.partner/stripe.com/ed_test_61RVxkRZ3uSxhCmrA16RVxkRZ3uSxhCmrA' }],
  [
    'a stack with an existing stripeApiKeySecret',
    { stripeApiKeySecret: Secret.fromSecretCompleteArn(new Stack(undefined, 'Shared'), 'StripeKey', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:stripe/api-key-AbCdEf') },
  ],
];

/** One finding of a pack: severity, rule and the construct path of the resource. */
interface Finding {
  readonly severity: string;
  readonly rule: string;
  readonly path: string;
}

/** Every finding of the AwsSolutions and Serverless packs that no acknowledgment answers. */
const unacknowledgedFindings = (scope: IConstruct): Finding[] =>
  nagPacks().flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.flatMap((violation) => violation.violatingResources.map((resource) => ({ severity: violation.severity ?? 'error', rule: violation.ruleName, path: resource.constructPath ?? '' }))),
  );

/** Every acknowledgment recorded in the tree: construct path, rule id and reason. */
const acknowledgmentsIn = (scope: IConstruct): { path: string; id: string; reason: string }[] =>
  scope.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason }))),
    );

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  test.each(CONFIGURATIONS)('%s has no unacknowledged error or warning', (_name, webhooks) => {
    // Prepare
    const { stack } = synthesize({ webhooks });

    // Act
    const findings = unacknowledgedFindings(stack);

    // Assess
    expect(findings).toEqual([]);
  });

  test.each(CONFIGURATIONS)('every acknowledgment in %s gives a specific reason', (_name, webhooks) => {
    // Prepare
    const { stack } = synthesize({ webhooks });

    // Act
    const acknowledgments = acknowledgmentsIn(stack);

    // Assess
    expect(acknowledgments.length).toBeGreaterThan(0);
    expect(acknowledgments.filter(({ reason }) => reason.trim().length < 80)).toEqual([]);
  });

  test.each(CONFIGURATIONS)('every acknowledgment in %s answers a finding the packs really raise there', (_name, webhooks) => {
    // Prepare: record the acknowledgments instead of applying them, so the packs report every finding.
    const recorded: { scope: IConstruct; id: string }[] = [];
    const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules) {
      const scope = (this as unknown as { scope: IConstruct }).scope;
      recorded.push(...rules.map((rule) => ({ scope, id: rule.id })));
    });
    let raised: Finding[];
    try {
      const { stack } = synthesize({ webhooks });

      // Act
      raised = unacknowledgedFindings(stack);
    } finally {
      acknowledge.mockRestore();
    }

    // Assess
    const within = (path: string, scope: IConstruct) => path === scope.node.path || path.startsWith(`${scope.node.path}/`);
    const unanswered = recorded.filter(({ scope, id }) => !raised.some((finding) => finding.rule === id && within(finding.path, scope)));
    expect(recorded.length).toBeGreaterThan(0);
    expect(unanswered.map(({ scope, id }) => `${id} at ${scope.node.path}`)).toEqual([]);
  });

  test('addNagChecks lets an app holding the stack synthesize', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new ConnectWebhooksStack(app, 'NaggedStack');
    addNagChecks(app);

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).not.toThrow();
  });

  test('addNagChecks fails synthesis on an unacknowledged finding, naming its rule', () => {
    // Prepare: a bare queue breaks three rules (no DLQ, no TLS enforcement, no redrive policy).
    const app = new App();
    new Queue(new Stack(app, 'CarelessStack'), 'Plain');
    addNagChecks(app);
    const report = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const synth = () => app.synth();

    // Assess
    try {
      expect(synth).toThrow(/AwsSolutions-SQS3/);
    } finally {
      report.mockRestore();
    }
  });
});
