import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import { actionsOf, assessRoleMayOn, logicalId as logicalIdIn, propertiesOf as propertiesIn, statementsOfRole as statementsIn, synthesize } from './fixture';

// Template assertions only: synthesized once, without bundling (stack.test.ts bundles the reconciler for real).
let stack: ConnectWebhooksStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesize({ id: 'ReconciledStack' }));
});

const logicalId = (construct: IConstruct): string => logicalIdIn(construct, stack);
const reconcilerId = (): string => logicalId(stack.webhooks.reconcilerFunction);
const reconcilerProperties = (): Record<string, unknown> => propertiesIn(template, 'AWS::Lambda::Function', reconcilerId());
const reconcilerRoleId = (): string => logicalId(stack.webhooks.reconcilerFunction.role!);
const roleMayOn = (options: { readonly actions: readonly string[]; readonly resource: unknown }) => assessRoleMayOn(template, { roleId: reconcilerRoleId(), ...options });
/** Asserts an Allow statement on the state table with exactly these actions, limited to these partition keys. */
const stateStatementWith = (options: { readonly actions: readonly string[]; readonly partitions: readonly string[] }) => () =>
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: Match.arrayWith([{ Ref: reconcilerRoleId() }]),
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Allow',
          Action: [...options.actions],
          Resource: [{ 'Fn::GetAtt': [logicalId(stack.webhooks.stateTable), 'Arn'] }],
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...options.partitions] } },
        }),
      ]),
    },
  });
const environmentOf = (properties: Record<string, unknown>): Record<string, unknown> => (properties.Environment as { Variables: Record<string, unknown> }).Variables;

const EXISTING_KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:stripe/api-key-AbCdEf';

/** A secret the platform already keeps its Stripe key in, passed by its complete ARN. */
const existingKeySecret = () => Secret.fromSecretCompleteArn(new Stack(undefined, 'Shared'), 'StripeKey', EXISTING_KEY_ARN);

describe('reconcile schedule', () => {
  test('an EventBridge rule runs the reconciler every 15 minutes', () => {
    // Prepare
    const functionId = reconcilerId();

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(15 minutes)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })],
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('EventBridge may invoke the reconciler, from this rule only', () => {
    // Prepare
    const ruleId = logicalId(stack.webhooks.reconcileSchedule!);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [reconcilerId(), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('reconcileSchedule sets the rate', () => {
    // Prepare
    const other = synthesize({ webhooks: { reconcileSchedule: Duration.hours(1) } });

    // Act
    const assess = () => other.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });

    // Assess
    expect(assess).not.toThrow();
  });

  test('reconcilerEnabled: false creates no rule', () => {
    // Prepare
    const other = synthesize({ webhooks: { reconcilerEnabled: false } });

    // Act
    const rules = other.template.findResources('AWS::Events::Rule');

    // Assess
    expect(rules).toEqual({});
  });

  test.each([Duration.seconds(90), Duration.seconds(30), Duration.days(2)])('a reconcileSchedule of %s fails synth', (reconcileSchedule) => {
    // Prepare
    const webhooks = { reconcileSchedule };

    // Act
    const synth = () => synthesize({ webhooks });

    // Assess
    expect(synth).toThrow('reconcileSchedule must be whole minutes from 1 minute to 1 day');
  });
});

describe('reconciler function', () => {
  test('no reserved concurrency, so accounts with a low concurrency quota can deploy: a lease item keeps one run at a time', () => {
    // Prepare
    const properties = reconcilerProperties();

    // Act
    const reserved = properties.ReservedConcurrentExecutions;

    // Assess
    expect(reserved).toBeUndefined();
  });

  test('a run may take 5 minutes with 512 MB', () => {
    // Prepare
    const properties = reconcilerProperties();

    // Act
    const sizing = { timeout: properties.Timeout, memory: properties.MemorySize };

    // Assess
    expect(sizing).toEqual({ timeout: 300, memory: 512 });
  });

  test('a failed run is not retried by Lambda: the next scheduled run resumes from the cursors', () => {
    // Prepare
    const functionId = reconcilerId();

    // Act
    const assess = () => template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: functionId }, MaximumRetryAttempts: 0 });

    // Assess
    expect(assess).not.toThrow();
  });

  test('a run kept waiting by the one before it is dropped once the next is due', () => {
    // Prepare
    const functionId = reconcilerId();

    // Act
    const assess = () => template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: functionId }, MaximumEventAgeInSeconds: 900 });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('reconciler configuration', () => {
  test.each([
    ['QUEUE_URL', () => ({ Ref: logicalId(stack.webhooks.queue) })],
    ['LEDGER_TABLE_NAME', () => ({ Ref: logicalId(stack.webhooks.ledgerTable) })],
    ['STATE_TABLE_NAME', () => ({ Ref: logicalId(stack.webhooks.stateTable) })],
    ['STRIPE_API_KEY_SECRET_ID', () => ({ Ref: logicalId(stack.webhooks.stripeApiKeySecret) })],
  ])('%s names the right resource', (variable, expected) => {
    // Prepare
    const value = expected();

    // Act
    const environment = environmentOf(reconcilerProperties());

    // Assess
    expect(environment[variable]).toEqual(value);
  });

  test('RECONCILE_ACTIVE_DAYS is 7 by default', () => {
    // Prepare
    const properties = reconcilerProperties();

    // Act
    const environment = environmentOf(properties);

    // Assess
    expect(environment.RECONCILE_ACTIVE_DAYS).toBe('7');
  });

  test('without reconcileAccounts, RECONCILE_ACCOUNTS is unset, so the recently active accounts are checked', () => {
    // Prepare
    const properties = reconcilerProperties();

    // Act
    const environment = environmentOf(properties);

    // Assess
    expect(environment).not.toHaveProperty('RECONCILE_ACCOUNTS');
  });

  test('reconcileAccounts and reconcileActiveDays set RECONCILE_ACCOUNTS and RECONCILE_ACTIVE_DAYS', () => {
    // Prepare
    const other = synthesize({ webhooks: { reconcileAccounts: ['acct_1Abc', 'acct_2Def'], reconcileActiveDays: 3 } });

    // Act
    const environment = environmentOf(propertiesIn(other.template, 'AWS::Lambda::Function', logicalIdIn(other.stack.webhooks.reconcilerFunction, other.stack)));

    // Assess
    expect(environment).toEqual(expect.objectContaining({ RECONCILE_ACCOUNTS: 'acct_1Abc,acct_2Def', RECONCILE_ACTIVE_DAYS: '3' }));
  });

  test('a reconcileAccounts entry that is no acct_ id fails synth, naming it', () => {
    // Prepare
    const webhooks = { reconcileAccounts: ['acct_1Abc', 'cus_123'] };

    // Act
    const synth = () => synthesize({ webhooks });

    // Assess
    expect(synth).toThrow('reconcileAccounts must hold acct_ ids, got "cus_123"');
  });

  test.each([0, 31, 2.5])('a reconcileActiveDays of %s fails synth', (reconcileActiveDays) => {
    // Prepare
    const webhooks = { reconcileActiveDays };

    // Act
    const synth = () => synthesize({ webhooks });

    // Assess
    expect(synth).toThrow('reconcileActiveDays must be an integer from 1 to 30');
  });

  test.each(['workerFunction', 'reconcilerFunction'] as const)('the %s gets no Stripe API key as a plain variable', (name) => {
    // Prepare
    const properties = propertiesIn(template, 'AWS::Lambda::Function', logicalId(stack.webhooks[name]));

    // Act
    const environment = environmentOf(properties);

    // Assess
    expect(environment).not.toHaveProperty('STRIPE_API_KEY');
  });

  test('STRIPE_API_KEY_SECRET_ID gives the worker the API key secret when it may use Stripe (workerStripeApiAccess)', () => {
    // Prepare
    const withAccess = synthesize({ id: 'WorkerWithStripe', webhooks: { workerStripeApiAccess: true } });
    const secretId = logicalIdIn(withAccess.stack.webhooks.stripeApiKeySecret, withAccess.stack);

    // Act
    const environment = environmentOf(propertiesIn(withAccess.template, 'AWS::Lambda::Function', logicalIdIn(withAccess.stack.webhooks.workerFunction, withAccess.stack)));

    // Assess
    expect(environment.STRIPE_API_KEY_SECRET_ID).toEqual({ Ref: secretId });
  });
});

describe('reconciler permissions', () => {
  test('may send messages to the event queue', () => {
    // Prepare
    const queueArn = { 'Fn::GetAtt': [logicalId(stack.webhooks.queue), 'Arn'] };

    // Act
    const assess = roleMayOn({ actions: ['sqs:SendMessage'], resource: queueArn });

    // Assess
    expect(assess).not.toThrow();
  });

  test('may read the ledger with BatchGetItem only: presence checks per page, never a Scan', () => {
    // Prepare
    const ledgerId = logicalId(stack.webhooks.ledgerTable);

    // Act
    const actions = actionsOf(statementsIn(template, reconcilerRoleId()).filter((statement) => JSON.stringify(statement.Resource).includes(ledgerId)));

    // Assess
    expect(actions).toEqual(['dynamodb:BatchGetItem']);
  });

  test("the reconciler's exact IAM actions", () => {
    // Prepare
    const statements = statementsIn(template, reconcilerRoleId());

    // Act
    const actions = [...new Set(actionsOf(statements))].sort();

    // Assess
    expect(actions).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
      // Active tracing: X-Ray offers these on no narrower resource.
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  test('may not write the ledger: only the worker records events', () => {
    // Prepare
    const ledgerId = logicalId(stack.webhooks.ledgerTable);

    // Act
    const writes = actionsOf(statementsIn(template, reconcilerRoleId()).filter((statement) => JSON.stringify(statement.Resource).includes(ledgerId))).filter((action) =>
      ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].includes(action),
    );

    // Assess
    expect(writes).toEqual([]);
  });

  test('may write only its own items of the state table: PutItem and UpdateItem limited to the RECONCILER partition', () => {
    // Prepare
    const actions = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

    // Act
    const assess = stateStatementWith({ actions, partitions: ['RECONCILER'] });

    // Assess
    expect(assess).not.toThrow();
  });

  test('may read only its own items and the account directory of the state table', () => {
    // Prepare
    const actions = ['dynamodb:GetItem', 'dynamodb:Query'];

    // Act
    const assess = stateStatementWith({ actions, partitions: ['RECONCILER', 'RECONCILE_SCOPES#live', 'RECONCILE_SCOPES#test'] });

    // Assess
    expect(assess).not.toThrow();
  });

  test('every state table statement is limited by dynamodb:LeadingKeys', () => {
    // Prepare
    const stateId = logicalId(stack.webhooks.stateTable);

    // Act
    const unconditioned = statementsIn(template, reconcilerRoleId()).filter(
      (statement) => JSON.stringify(statement.Resource).includes(stateId) && !JSON.stringify(statement).includes('dynamodb:LeadingKeys'),
    );

    // Assess
    expect(unconditioned).toEqual([]);
  });

  test('may read the Stripe API key secret', () => {
    // Prepare
    const secretRef = { Ref: logicalId(stack.webhooks.stripeApiKeySecret) };

    // Act
    const assess = roleMayOn({ actions: ['secretsmanager:GetSecretValue'], resource: secretRef });

    // Assess
    expect(assess).not.toThrow();
  });

  test('has no access to the webhook secret', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.webhookSecret);

    // Act
    const granting = statementsIn(template, reconcilerRoleId()).filter((statement) => JSON.stringify(statement).includes(secretId));

    // Assess
    expect(granting).toEqual([]);
  });
});

describe('Stripe API key secret', () => {
  test('is created blank, as one space: CloudFormation refuses an empty SecretString, and the functions read blank as unset', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.stripeApiKeySecret);

    // Act
    const { SecretString } = propertiesIn(template, 'AWS::SecretsManager::Secret', secretId) as { SecretString: string };

    // Assess
    expect(SecretString).toBe(' ');
  });

  test('is created with a fixed value, not a generated one, so the placeholder never changes under a stored key', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.stripeApiKeySecret);

    // Act
    const properties = propertiesIn(template, 'AWS::SecretsManager::Secret', secretId);

    // Assess
    expect(properties).not.toHaveProperty('GenerateSecretString');
  });

  test('has no fixed name, so the stack can be deployed twice in one account', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.stripeApiKeySecret);

    // Act
    const properties = propertiesIn(template, 'AWS::SecretsManager::Secret', secretId);

    // Assess
    expect(properties).not.toHaveProperty('Name');
  });

  test('an existing stripeApiKeySecret is read by the reconciler', () => {
    // Prepare
    const other = synthesize({ webhooks: { stripeApiKeySecret: existingKeySecret() } });

    // Act
    const assess = assessRoleMayOn(other.template, {
      roleId: logicalIdIn(other.stack.webhooks.reconcilerFunction.role!, other.stack),
      actions: ['secretsmanager:GetSecretValue'],
      resource: EXISTING_KEY_ARN,
    });

    // Assess
    expect(assess).not.toThrow();
  });

  test('with an existing stripeApiKeySecret, only the webhook secret is created', () => {
    // Prepare
    const other = synthesize({ webhooks: { stripeApiKeySecret: existingKeySecret() } });

    // Act
    const secrets = Object.keys(other.template.findResources('AWS::SecretsManager::Secret'));

    // Assess
    expect(secrets).toEqual([logicalIdIn(other.stack.webhooks.webhookSecret, other.stack)]);
  });

  test('StripeApiKeySecretName is the API key secret\'s name', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.stripeApiKeySecret);

    // Act
    const value = JSON.stringify(template.findOutputs('StripeApiKeySecretName').StripeApiKeySecretName?.Value);

    // Assess
    expect(value).toContain(JSON.stringify({ Ref: secretId }));
  });

  test('ReconcilerFunctionName is the reconciler\'s name', () => {
    // Prepare
    const functionId = reconcilerId();

    // Act
    const assess = () => template.hasOutput('ReconcilerFunctionName', { Value: { Ref: functionId } });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('reconciler scope failures', () => {
  test('a scope that fails is counted from the log line "reconcile scope failed" and raises its own alarm', () => {
    // Prepare
    const alarm = stack.webhooks.observability.alarms.reconcilerScopesFailed;

    // Act
    const properties = propertiesIn(template, 'AWS::CloudWatch::Alarm', logicalId(alarm));

    // Assess
    expect(properties).toEqual(expect.objectContaining({ MetricName: 'ReconcilerScopesFailed', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Period: 900 }));
    expect(() => template.hasResourceProperties('AWS::Logs::MetricFilter', { MetricTransformations: [Match.objectLike({ MetricName: 'ReconcilerScopesFailed' })], FilterPattern: '{ $.message = "reconcile scope failed" }' })).not.toThrow();
  });
});
