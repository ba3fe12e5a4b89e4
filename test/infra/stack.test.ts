import { App } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import type { StripeConnectWebhooksProps } from '../../lib/stripe-connect-webhooks';

type Resource = { readonly Properties?: Record<string, unknown> };
type Statement = { readonly Effect?: string; readonly Action?: string | readonly string[] };
type FunctionName = 'ingest' | 'worker';

// Bundling both functions with esbuild takes seconds, so the stack is synthesized once for the whole file.
let stack: ConnectWebhooksStack;
let template: Template;

beforeAll(() => {
  const app = new App();
  stack = new ConnectWebhooksStack(app, 'TestStack');
  template = Template.fromStack(stack);
}, 120_000);

const logicalId = (construct: IConstruct, of: ConnectWebhooksStack = stack): string => of.getLogicalId(construct.node.defaultChild as CfnElement);

/** A further stack with other construct settings, synthesized without bundling: only its template is asserted. */
const synthesize = (webhooks: StripeConnectWebhooksProps): { stack: ConnectWebhooksStack; template: Template } => {
  const other = new ConnectWebhooksStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'OtherStack', { webhooks });
  return { stack: other, template: Template.fromStack(other) };
};

const functionOf = (name: FunctionName) => (name === 'ingest' ? stack.webhooks.ingestFunction : stack.webhooks.workerFunction);

const propertiesOf = (type: string, id: string): Record<string, unknown> => {
  const resource = template.findResources(type)[id] as Resource | undefined;
  if (resource === undefined) throw new Error(`no ${type} ${id} in the template`);
  return resource.Properties ?? {};
};

/** Every statement granted to a role: its inline policies and the AWS::IAM::Policy resources attached to it. */
const statementsOfRole = (roleId: string): Statement[] => {
  const inline = (propertiesOf('AWS::IAM::Role', roleId).Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  const attached = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) } }));
  return [...inline.map((policy) => policy.PolicyDocument), ...attached.map((policy) => (policy as Resource).Properties?.PolicyDocument as { Statement: Statement[] })].flatMap(
    (document) => document.Statement,
  );
};

const actionsOf = (statements: readonly Statement[]): string[] => statements.flatMap((statement) => (statement.Action === undefined ? [] : [statement.Action].flat()));

const roleIdOf = (name: FunctionName): string => logicalId(functionOf(name).role!);

/** Asserts that a role has an Allow statement with (at least) these actions on this resource. */
const roleMayOn = (options: { readonly roleId: string; readonly actions: readonly string[]; readonly resource: unknown }) => () =>
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: Match.arrayWith([{ Ref: options.roleId }]),
    PolicyDocument: {
      Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: Match.arrayWith([...options.actions]), Resource: options.resource })]),
    },
  });

/** Asserts properties of one resource picked by logical ID, where no property alone would single it out. */
const assessResource = (construct: IConstruct, properties: Record<string, unknown>) => () =>
  template.templateMatches({ Resources: { [logicalId(construct)]: { Properties: properties } } });

describe('HTTP API', () => {
  test.each(['POST /webhooks/account', 'POST /webhooks/connect', '$default'])('has the route %s', (routeKey) => {
    // Prepare
    const apiId = logicalId(stack.webhooks.httpApi);

    // Act
    const assess = () => template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: { Ref: apiId }, RouteKey: routeKey });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('functions', () => {
  test.each<FunctionName>(['ingest', 'worker'])('%s runs on nodejs24.x on arm64', (name) => {
    // Prepare
    const roleId = roleIdOf(name);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [roleId, 'Arn'] }, Runtime: 'nodejs24.x', Architectures: ['arm64'] });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each<FunctionName>(['ingest', 'worker'])('%s logs to a log group with a retention', (name) => {
    // Prepare
    const { LogGroup } = propertiesOf('AWS::Lambda::Function', logicalId(functionOf(name))).LoggingConfig as { LogGroup: { Ref: string } };

    // Act
    const assess = () => template.templateMatches({ Resources: { [LogGroup.Ref]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: Match.anyValue() } } } });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('queue', () => {
  test('the event source mapping reports batch item failures', () => {
    // Prepare
    const workerId = logicalId(stack.webhooks.workerFunction);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: workerId }, FunctionResponseTypes: ['ReportBatchItemFailures'] });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the visibility timeout is at least six worker timeouts', () => {
    // Prepare
    const worker = propertiesOf('AWS::Lambda::Function', logicalId(stack.webhooks.workerFunction));

    // Act
    const queue = propertiesOf('AWS::SQS::Queue', logicalId(stack.webhooks.queue));

    // Assess
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (worker.Timeout as number));
  });

  test('failing messages move to the dead-letter queue after at least 5 receives', () => {
    // Prepare
    const dlqId = logicalId(stack.webhooks.deadLetterQueue);

    // Act
    const { RedrivePolicy } = propertiesOf('AWS::SQS::Queue', logicalId(stack.webhooks.queue)) as { RedrivePolicy: { deadLetterTargetArn: unknown; maxReceiveCount: number } };

    // Assess
    expect(RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: expect.any(Number) });
    expect(RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
  });

  test('the dead-letter queue allows the console to redrive its messages back', () => {
    // Prepare
    const dlq = stack.webhooks.deadLetterQueue;

    // Act
    const assess = assessResource(dlq, { RedriveAllowPolicy: { redrivePermission: 'allowAll' } });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(['queue', 'deadLetterQueue'] as const)('%s is encrypted with SQS-managed keys', (name) => {
    // Prepare
    const queue = stack.webhooks[name];

    // Act
    const assess = assessResource(queue, { SqsManagedSseEnabled: true });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(['queue', 'deadLetterQueue'] as const)('%s denies requests without TLS', (name) => {
    // Prepare
    const id = logicalId(stack.webhooks[name]);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('ledger table', () => {
  test.each([
    ['expires records through TTL on expiresAt', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }],
    ['has point-in-time recovery', { Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })] }],
    ['bills on demand', { BillingMode: 'PAY_PER_REQUEST' }],
    ['is keyed by the string eventId', { KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'eventId', AttributeType: 'S' }] }],
  ])('%s', (_guarantee, expected) => {
    // Prepare
    const table = stack.webhooks.ledgerTable;

    // Act
    const assess = assessResource(table, expected);

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('state table', () => {
  test('is keyed by the strings pk (partition) and sk (sort)', () => {
    // Prepare
    const table = stack.webhooks.stateTable;

    // Act
    const assess = assessResource(table, {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    });

    // Assess
    expect(assess).not.toThrow();
  });

  test('has point-in-time recovery', () => {
    // Prepare
    const table = stack.webhooks.stateTable;

    // Act
    const assess = assessResource(table, { Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })] });

    // Assess
    expect(assess).not.toThrow();
  });

  test('bills on demand', () => {
    // Prepare
    const table = stack.webhooks.stateTable;

    // Act
    const assess = assessResource(table, { BillingMode: 'PAY_PER_REQUEST' });

    // Assess
    expect(assess).not.toThrow();
  });

  test('is retained when it leaves the stack by default', () => {
    // Prepare
    const id = logicalId(stack.webhooks.stateTable);

    // Act
    const assess = () => template.templateMatches({ Resources: { [id]: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('its name is a stack output', () => {
    // Prepare
    const id = logicalId(stack.webhooks.stateTable);

    // Act
    const assess = () => template.hasOutput('StateTableName', { Value: { Ref: id } });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('worker configuration', () => {
  test('STATE_TABLE_NAME names the state table', () => {
    // Prepare
    const stateId = logicalId(stack.webhooks.stateTable);

    // Act
    const assess = assessResource(stack.webhooks.workerFunction, { Environment: { Variables: { STATE_TABLE_NAME: { Ref: stateId } } } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('ACCEPTED_LIVEMODES is both by default', () => {
    // Prepare
    const worker = stack.webhooks.workerFunction;

    // Act
    const assess = assessResource(worker, { Environment: { Variables: { ACCEPTED_LIVEMODES: 'both' } } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('ACCEPTED_LIVEMODES is live on a live-only deployment', () => {
    // Prepare
    const live = synthesize({ acceptedLivemodes: 'live' });

    // Act
    const assess = () =>
      live.template.templateMatches({
        Resources: { [logicalId(live.stack.webhooks.workerFunction, live.stack)]: { Properties: { Environment: { Variables: { ACCEPTED_LIVEMODES: 'live' } } } } },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('an unknown acceptedLivemodes fails synth, naming the accepted values', () => {
    // Prepare
    const webhooks = { acceptedLivemodes: 'staging' } as unknown as StripeConnectWebhooksProps;

    // Act
    const synth = () => synthesize(webhooks);

    // Assess
    expect(synth).toThrow(`acceptedLivemodes must be 'both', 'live' or 'test', got "staging"`);
  });
});

describe('permissions', () => {
  test('the ingest may send messages to the queue', () => {
    // Prepare
    const roleId = roleIdOf('ingest');

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: Match.arrayWith([{ Ref: roleId }]),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [logicalId(stack.webhooks.queue), 'Arn'] } }),
          ]),
        },
      });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the ingest has no DynamoDB access', () => {
    // Prepare
    const roleId = roleIdOf('ingest');

    // Act
    const actions = actionsOf(statementsOfRole(roleId));

    // Assess
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });

  test('the worker may read and write the ledger table', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const assess = roleMayOn({ roleId, actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: { 'Fn::GetAtt': [logicalId(stack.webhooks.ledgerTable), 'Arn'] } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the worker may write the state table in a transaction', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const assess = roleMayOn({ roleId, actions: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: { 'Fn::GetAtt': [logicalId(stack.webhooks.stateTable), 'Arn'] } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the worker may read the state table', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const assess = roleMayOn({ roleId, actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan'], resource: { 'Fn::GetAtt': [logicalId(stack.webhooks.stateTable), 'Arn'] } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the ingest has no access to the state table', () => {
    // Prepare
    const stateId = logicalId(stack.webhooks.stateTable);

    // Act
    const granting = statementsOfRole(roleIdOf('ingest')).filter((statement) => JSON.stringify(statement).includes(stateId));

    // Assess
    expect(granting).toEqual([]);
  });

  test('no IAM statement allows every action', () => {
    // Prepare
    const roleIds = Object.keys(template.findResources('AWS::IAM::Role'));

    // Act
    const actions = roleIds.flatMap((roleId) => actionsOf(statementsOfRole(roleId)));

    // Assess
    expect(actions).not.toContain('*');
  });
});
