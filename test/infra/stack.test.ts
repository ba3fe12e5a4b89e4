import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import type { StripeConnectWebhooksProps } from '../../lib/stripe-connect-webhooks';
import { actionsOf, assessRoleMayOn, logicalId as logicalIdIn, propertiesOf as propertiesIn, statementsOfRole as statementsIn, synthesize } from './fixture';

type FunctionName = 'ingest' | 'worker' | 'reconciler';

// Bundling the functions with esbuild takes seconds, so the stack is synthesized once for the whole file, and
// bundled for real: a function that does not bundle fails here rather than at deployment.
let stack: ConnectWebhooksStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesize({ bundle: true }));
}, 120_000);

const logicalId = (construct: IConstruct): string => logicalIdIn(construct, stack);
const propertiesOf = (type: string, id: string): Record<string, unknown> => propertiesIn(template, type, id);
const statementsOfRole = (roleId: string) => statementsIn(template, roleId);
/** The actions a role has on exactly this resource, sorted. */
const actionsOn = (roleId: string, resource: unknown): string[] =>
  actionsOf(statementsOfRole(roleId).filter((statement) => JSON.stringify([statement.Resource].flat()) === JSON.stringify([resource]))).sort();

const functionOf = (name: FunctionName) => ({ ingest: stack.webhooks.ingestFunction, worker: stack.webhooks.workerFunction, reconciler: stack.webhooks.reconcilerFunction })[name];
const logGroupOf = (name: FunctionName) => ({ ingest: stack.webhooks.ingestLogGroup, worker: stack.webhooks.workerLogGroup, reconciler: stack.webhooks.reconcilerLogGroup })[name];
const FUNCTIONS: FunctionName[] = ['ingest', 'worker', 'reconciler'];

const roleIdOf = (name: FunctionName): string => logicalId(functionOf(name).role!);

/** Where synthesis staged a function's bundle: the asset directory named by its code's S3 key. */
const assetDirectoryOf = (name: FunctionName): string => {
  const { S3Key } = propertiesOf('AWS::Lambda::Function', logicalId(functionOf(name))).Code as { S3Key: string };
  return join((stack.node.root as App).outdir, `asset.${S3Key.replace(/\.zip$/, '')}`);
};

/** Asserts that a role has an Allow statement with (at least) these actions on this resource. */
const roleMayOn = (options: { readonly roleId: string; readonly actions: readonly string[]; readonly resource: unknown }) => assessRoleMayOn(template, options);

/** Asserts properties of one resource picked by logical ID, where no property alone would single it out. */
const assessResource = (construct: IConstruct, properties: Record<string, unknown>) => () =>
  template.templateMatches({ Resources: { [logicalId(construct)]: { Properties: properties } } });

/** Asserts properties of one resource of a further stack. */
const assessOther = (other: { stack: ConnectWebhooksStack; template: Template }, construct: (stack: ConnectWebhooksStack) => IConstruct, properties: Record<string, unknown>) => () =>
  other.template.templateMatches({ Resources: { [logicalIdIn(construct(other.stack), other.stack)]: { Properties: properties } } });

describe('HTTP API', () => {
  test.each(['POST /webhooks/account', 'POST /webhooks/connect', '$default'])('has the route %s', (routeKey) => {
    // Prepare
    const apiId = logicalId(stack.webhooks.httpApi);

    // Act
    const assess = () => template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: { Ref: apiId }, RouteKey: routeKey });

    // Assess
    expect(assess).not.toThrow();
  });

  test('serves the routes from the auto-deployed $default stage, so the webhook URLs have no stage path', () => {
    // Prepare
    const stage = stack.webhooks.httpStage;

    // Act
    const assess = assessResource(stage, { ApiId: { Ref: logicalId(stack.webhooks.httpApi) }, StageName: '$default', AutoDeploy: true });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the $default stage throttles at 100 requests/s with bursts of 200 by default', () => {
    // Prepare
    const stage = stack.webhooks.httpStage;

    // Act
    const assess = assessResource(stage, { DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the throttling limits come from throttleRateLimit and throttleBurstLimit', () => {
    // Prepare
    const other = synthesize({ webhooks: { throttleRateLimit: 25, throttleBurstLimit: 50 } });

    // Act
    const assess = assessOther(other, (s) => s.webhooks.httpStage, { DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('access logs go to the access log group', () => {
    // Prepare
    const logGroupId = logicalId(stack.webhooks.accessLogGroup);

    // Act
    const assess = assessResource(stack.webhooks.httpStage, { AccessLogSettings: Match.objectLike({ DestinationArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }) });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the access log group has a retention', () => {
    // Prepare
    const logGroup = stack.webhooks.accessLogGroup;

    // Act
    const assess = assessResource(logGroup, { RetentionInDays: 30 });

    // Assess
    expect(assess).not.toThrow();
  });

  test('each access log line is a JSON object with the request id, caller IP, route, status, length, integration error and latency', () => {
    // Prepare
    const { AccessLogSettings } = propertiesOf('AWS::ApiGatewayV2::Stage', logicalId(stack.webhooks.httpStage)) as { AccessLogSettings: { Format: string } };

    // Act
    const format = JSON.parse(AccessLogSettings.Format) as Record<string, string>;

    // Assess
    expect(format).toEqual(
      expect.objectContaining({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        responseLength: '$context.responseLength',
        integrationError: '$context.integrationErrorMessage',
        latency: '$context.responseLatency',
      }),
    );
  });
});

describe('functions', () => {
  test.each(FUNCTIONS)('%s runs on nodejs24.x on arm64', (name) => {
    // Prepare
    const roleId = roleIdOf(name);

    // Act
    const assess = () =>
      template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [roleId, 'Arn'] }, Runtime: 'nodejs24.x', Architectures: ['arm64'] });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(FUNCTIONS)('%s starts without source-map support, which would cost every cold start', (name) => {
    // Prepare
    const fn = functionOf(name);

    // Act
    const assess = assessResource(fn, { Environment: { Variables: Match.objectLike({ NODE_OPTIONS: Match.absent() }) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(FUNCTIONS)('%s ships one ES module bundle and nothing beside it', (name) => {
    // Act
    const files = readdirSync(assetDirectoryOf(name));

    // Assess
    expect(files).toEqual(['index.mjs']);
  });

  test.each(['worker', 'reconciler'] as const)('%s bundles the stripe package like any other, imported on first use', (name) => {
    // Act
    const handler = readFileSync(join(assetDirectoryOf(name), 'index.mjs'), 'utf8');

    // Assess
    expect(handler).toContain('api.stripe.com');
    expect(handler).not.toContain('require("stripe")');
  });

  test.each([
    ['ingest', ['SQSClient', 'SendMessageCommand', 'SecretsManagerClient']],
    ['worker', ['DynamoDBClient', 'DynamoDBDocumentClient', 'TransactWriteCommand', 'SecretsManagerClient']],
    ['reconciler', ['DynamoDBClient', 'DynamoDBDocumentClient', 'SQSClient', 'SecretsManagerClient']],
  ] as const)('%s bundles the AWS SDK clients it calls and Powertools Logger', (name, clients) => {
    // Act
    const handler = readFileSync(join(assetDirectoryOf(name), 'index.mjs'), 'utf8');

    // Assess
    expect([...clients, 'POWERTOOLS_LOGGER_SAMPLE_RATE'].filter((marker) => !handler.includes(marker))).toEqual([]);
  });

  test('the ingest bundles no DynamoDB client, which it never calls', () => {
    // Act
    const handler = readFileSync(join(assetDirectoryOf('ingest'), 'index.mjs'), 'utf8');

    // Assess
    expect(handler).not.toContain('DynamoDBClient');
  });

  test.each(FUNCTIONS)('%s bundle initialises as an ES module with its environment set', (name) => {
    // Prepare: the variables the stack sets (dummy values; nothing is called at module load).
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/events',
      WEBHOOK_SECRET_ID: 'webhook-secret',
      LEDGER_TABLE_NAME: 'ledger',
      STATE_TABLE_NAME: 'state',
    };
    const url = pathToFileURL(join(assetDirectoryOf(name), 'index.mjs')).href;

    // Act
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); if (typeof m.handler !== 'function') process.exit(3);`], { env, encoding: 'utf8', timeout: 60_000 });

    // Assess
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test.each(FUNCTIONS)('%s has X-Ray active tracing', (name) => {
    // Act
    const assess = assessResource(functionOf(name), { TracingConfig: { Mode: 'Active' } });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(FUNCTIONS)('%s logs to a log group with a retention', (name) => {
    // Prepare
    const { LogGroup } = propertiesOf('AWS::Lambda::Function', logicalId(functionOf(name))).LoggingConfig as { LogGroup: { Ref: string } };

    // Act
    const assess = () => template.templateMatches({ Resources: { [LogGroup.Ref]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: Match.anyValue() } } } });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(FUNCTIONS)('%s logs JSON at application level INFO', (name) => {
    // Prepare
    const fn = functionOf(name);

    // Act
    const assess = assessResource(fn, { LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }) });

    // Assess
    expect(assess).not.toThrow();
  });

  test('applicationLogLevel sets the functions\' application log level', () => {
    // Prepare
    const other = synthesize({ webhooks: { applicationLogLevel: 'DEBUG' as StripeConnectWebhooksProps['applicationLogLevel'] } });

    // Act
    const assess = assessOther(other, (s) => s.webhooks.workerFunction, { LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }) });

    // Assess
    expect(assess).not.toThrow();
  });

  test('no role carries an AWS-managed policy: each function may only write its own log group', () => {
    // Prepare
    const roles = template.findResources('AWS::IAM::Role');

    // Act
    const managed = Object.values(roles).flatMap((role) => ((role as { Properties?: { ManagedPolicyArns?: unknown[] } }).Properties?.ManagedPolicyArns ?? []));

    // Assess
    expect(managed).toEqual([]);
  });

  test.each(FUNCTIONS)('%s may write its own log group', (name) => {
    // Prepare
    const logGroup = logGroupOf(name);

    // Act
    const assess = roleMayOn({ roleId: roleIdOf(name), actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: { 'Fn::GetAtt': [logicalId(logGroup), 'Arn'] } });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('webhook secret', () => {
  test('is created holding empty account and Connect lists, for `connect-webhooks secrets set` to fill', () => {
    // Prepare
    const secret = stack.webhooks.webhookSecret;

    // Act
    const { SecretString } = propertiesOf('AWS::SecretsManager::Secret', logicalId(secret)) as { SecretString: string };

    // Assess
    expect(JSON.parse(SecretString)).toEqual({ account: [], connect: [] });
  });

  test('has no fixed name, so the stack can be deployed twice in one account', () => {
    // Prepare
    const secret = stack.webhooks.webhookSecret;

    // Act
    const properties = propertiesOf('AWS::SecretsManager::Secret', logicalId(secret));

    // Assess
    expect(properties).not.toHaveProperty('Name');
  });

  test('WEBHOOK_SECRET_ID gives the ingest the secret\'s ARN', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.webhookSecret);

    // Act
    const assess = assessResource(stack.webhooks.ingestFunction, { Environment: { Variables: Match.objectLike({ WEBHOOK_SECRET_ID: { Ref: secretId } }) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('WEBHOOK_SECRET_CACHE_SECONDS is 300', () => {
    // Prepare
    const ingest = stack.webhooks.ingestFunction;

    // Act
    const assess = assessResource(ingest, { Environment: { Variables: Match.objectLike({ WEBHOOK_SECRET_CACHE_SECONDS: '300' }) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('no signing secret is passed as a plain environment variable', () => {
    // Prepare
    const { Environment } = propertiesOf('AWS::Lambda::Function', logicalId(stack.webhooks.ingestFunction)) as { Environment: { Variables: Record<string, unknown> } };

    // Act
    const names = Object.keys(Environment.Variables);

    // Assess
    expect(names).not.toEqual(expect.arrayContaining(['STRIPE_WEBHOOK_SECRET']));
    expect(names).not.toEqual(expect.arrayContaining(['STRIPE_CONNECT_WEBHOOK_SECRET']));
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

  test('the event source mapping runs at most 10 workers at once by default', () => {
    // Prepare
    const workerId = logicalId(stack.webhooks.workerFunction);

    // Act
    const assess = () => template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: workerId }, ScalingConfig: { MaximumConcurrency: 10 } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('maxConcurrency sets the event source mapping\'s maximum concurrency', () => {
    // Prepare
    const other = synthesize({ webhooks: { maxConcurrency: 3 } });

    // Act
    const assess = () => other.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 3 } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('a maxConcurrency below 2 fails synth', () => {
    // Prepare
    const webhooks = { maxConcurrency: 1 };

    // Act
    const synth = () => synthesize({ webhooks });

    // Assess
    expect(synth).toThrow('maxConcurrency must be an integer from 2 to 1000');
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

  test.each(['queue', 'deadLetterQueue'] as const)('%s accepts messages up to 1 MiB', (name) => {
    // Prepare
    const queue = stack.webhooks[name];

    // Act
    const assess = assessResource(queue, { MaximumMessageSize: 1_048_576 });

    // Assess
    expect(assess).not.toThrow();
  });

  test.each(['queue', 'deadLetterQueue'] as const)('%s keeps messages 14 days', (name) => {
    // Prepare
    const queue = stack.webhooks[name];

    // Act
    const assess = assessResource(queue, { MessageRetentionPeriod: 14 * 24 * 3600 });

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
    ['has deletion protection', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }],
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

  test('has deletion protection', () => {
    // Prepare
    const table = stack.webhooks.stateTable;

    // Act
    const assess = assessResource(table, { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] });

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
});

describe('table settings', () => {
  test.each(['ledgerTable', 'stateTable'] as const)('deletionProtection: false turns deletion protection off on the %s', (name) => {
    // Prepare
    const other = synthesize({ webhooks: { deletionProtection: false } });

    // Act
    const assess = assessOther(other, (s) => s.webhooks[name], { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] });

    // Assess
    expect(assess).not.toThrow();
  });
});

describe('worker configuration', () => {
  test('STATE_TABLE_NAME names the state table', () => {
    // Prepare
    const stateId = logicalId(stack.webhooks.stateTable);

    // Act
    const assess = assessResource(stack.webhooks.workerFunction, { Environment: { Variables: Match.objectLike({ STATE_TABLE_NAME: { Ref: stateId } }) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('ACCEPTED_LIVEMODES is both by default', () => {
    // Prepare
    const worker = stack.webhooks.workerFunction;

    // Act
    const assess = assessResource(worker, { Environment: { Variables: Match.objectLike({ ACCEPTED_LIVEMODES: 'both' }) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('ACCEPTED_LIVEMODES is live on a live-only deployment', () => {
    // Prepare
    const live = synthesize({ webhooks: { acceptedLivemodes: 'live' } });

    // Act
    const assess = assessOther(live, (s) => s.webhooks.workerFunction, { Environment: { Variables: Match.objectLike({ ACCEPTED_LIVEMODES: 'live' }) } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('an unknown acceptedLivemodes fails synth, naming the accepted values', () => {
    // Prepare
    const webhooks = { acceptedLivemodes: 'staging' } as unknown as StripeConnectWebhooksProps;

    // Act
    const synth = () => synthesize({ webhooks });

    // Assess
    expect(synth).toThrow(`acceptedLivemodes must be 'both', 'live' or 'test', got "staging"`);
  });
});

describe('permissions', () => {
  test('the ingest may send messages to the queue, SendMessage only', () => {
    // Prepare
    const roleId = roleIdOf('ingest');

    // Act
    const actions = actionsOn(roleId, { 'Fn::GetAtt': [logicalId(stack.webhooks.queue), 'Arn'] });

    // Assess
    expect(actions).toEqual(['sqs:SendMessage']);
  });

  test('the ingest may read the webhook secret\'s value', () => {
    // Prepare
    const roleId = roleIdOf('ingest');

    // Act
    const actions = actionsOn(roleId, { Ref: logicalId(stack.webhooks.webhookSecret) });

    // Assess
    expect(actions).toEqual(['secretsmanager:GetSecretValue']);
  });

  test('the ingest may not change the webhook secret', () => {
    // Prepare
    const roleId = roleIdOf('ingest');

    // Act
    const actions = actionsOf(statementsOfRole(roleId)).filter((action) => action.startsWith('secretsmanager:'));

    // Assess
    expect(actions.sort()).toEqual(['secretsmanager:GetSecretValue']);
  });

  test('the ingest has no DynamoDB access', () => {
    // Prepare
    const roleId = roleIdOf('ingest');

    // Act
    const actions = actionsOf(statementsOfRole(roleId));

    // Assess
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });

  test('the worker may claim, take over and finish ledger records, and read the stored item of a failed claim', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const actions = actionsOn(roleId, { 'Fn::GetAtt': [logicalId(stack.webhooks.ledgerTable), 'Arn'] });

    // Assess
    expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  test('the worker may update the state table and check the deauthorization guard in a transaction', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const actions = actionsOn(roleId, { 'Fn::GetAtt': [logicalId(stack.webhooks.stateTable), 'Arn'] });

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem']));
  });

  test('the worker may read the deauthorization record of the state table', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const actions = actionsOn(roleId, { 'Fn::GetAtt': [logicalId(stack.webhooks.stateTable), 'Arn'] });

    // Assess
    expect(actions).toContain('dynamodb:GetItem');
  });

  test('the worker may consume the queue', () => {
    // Prepare
    const roleId = roleIdOf('worker');

    // Act
    const assess = roleMayOn({ roleId, actions: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage'], resource: { 'Fn::GetAtt': [logicalId(stack.webhooks.queue), 'Arn'] } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('the worker may read the Stripe API key secret when custom handlers need it (workerStripeApiAccess)', () => {
    // Prepare
    const withAccess = synthesize({ id: 'WorkerWithStripe', webhooks: { workerStripeApiAccess: true } });
    const roleId = logicalIdIn(withAccess.stack.webhooks.workerFunction.role!, withAccess.stack);

    // Act
    const statements = statementsIn(withAccess.template, roleId).filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify({ Ref: logicalIdIn(withAccess.stack.webhooks.stripeApiKeySecret, withAccess.stack) }));

    // Assess
    expect(actionsOf(statements)).toEqual(['secretsmanager:GetSecretValue']);
  });

  test('the worker has no access to the webhook secret', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.webhookSecret);

    // Act
    const granting = statementsOfRole(roleIdOf('worker')).filter((statement) => JSON.stringify(statement).includes(secretId));

    // Assess
    expect(granting).toEqual([]);
  });

  test('the ingest has no access to the Stripe API key secret', () => {
    // Prepare
    const secretId = logicalId(stack.webhooks.stripeApiKeySecret);

    // Act
    const granting = statementsOfRole(roleIdOf('ingest')).filter((statement) => JSON.stringify(statement).includes(secretId));

    // Assess
    expect(granting).toEqual([]);
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
    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  test('only X-Ray\'s trace actions apply to every resource', () => {
    // Prepare
    const roleIds = Object.keys(template.findResources('AWS::IAM::Role'));

    // Act
    const actions = roleIds.flatMap((roleId) =>
      statementsOfRole(roleId)
        .filter((statement) => [statement.Resource].flat().includes('*'))
        .flatMap((statement) => [statement.Action].flat()),
    );

    // Assess
    expect([...new Set(actions)].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

});

describe('outputs', () => {
  test.each([
    'AccountWebhookUrl',
    'ConnectWebhookUrl',
    'WebhookSecretName',
    'WebhookSecretArn',
    'QueueUrl',
    'DeadLetterQueueUrl',
    'DeadLetterQueueConsoleUrl',
    'LedgerTableName',
    'StateTableName',
    'DashboardUrl',
    'AlarmTopicArn',
    'StripeApiKeySecretName',
    'ReconcilerFunctionName',
  ])('%s is a stack output', (name) => {
    // Prepare
    const outputs = template.findOutputs('*');

    // Act
    const output = outputs[name];

    // Assess
    expect(output).toEqual(expect.objectContaining({ Value: expect.anything(), Description: expect.any(String) }));
  });

  test('StateTableName is the state table\'s name', () => {
    // Prepare
    const id = logicalId(stack.webhooks.stateTable);

    // Act
    const assess = () => template.hasOutput('StateTableName', { Value: { Ref: id } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('AccountWebhookUrl is the API endpoint followed by /webhooks/account', () => {
    // Prepare
    const apiId = logicalId(stack.webhooks.httpApi);

    // Act
    const assess = () => template.hasOutput('AccountWebhookUrl', { Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/webhooks/account']] } });

    // Assess
    expect(assess).not.toThrow();
  });

  test('DeadLetterQueueConsoleUrl opens the dead-letter queue in the SQS console', () => {
    // Prepare
    const dlqId = logicalId(stack.webhooks.deadLetterQueue);

    // Act
    const value = JSON.stringify(template.findOutputs('DeadLetterQueueConsoleUrl').DeadLetterQueueConsoleUrl?.Value);

    // Assess
    expect(value).toContain('.console.aws.amazon.com/sqs/v3/home?region=');
    expect(value).toContain(`#/queues/https%3A%2F%2Fsqs.`);
    expect(value).toContain(JSON.stringify({ 'Fn::GetAtt': [dlqId, 'QueueName'] }));
  });
});
