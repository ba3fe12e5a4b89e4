import { App, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import type { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import { StripeConnectWebhooks } from '../../lib/stripe-connect-webhooks';
import { actionsOf, logicalId, propertiesOf, statementsOfRole, synthesize } from './fixture';
import type { Statement } from './fixture';

/** Each Allow statement of a function's role as `action → resource logical id`, sorted. */
const grantsOf = (synthesized: { stack: ConnectWebhooksStack; template: Template }, fn: 'ingestFunction' | 'workerFunction'): string[] => {
  const { stack, template } = synthesized;
  const roleId = logicalId(stack.webhooks[fn].role!, stack);
  const resourceId = (resource: unknown): string => {
    const text = JSON.stringify(resource);
    return /"(?:Ref|Fn::GetAtt)":\s*\[?"([A-Za-z0-9]+)"/.exec(text)?.[1] ?? text;
  };
  return statementsOfRole(template, roleId)
    .flatMap((statement: Statement) => [statement.Action].flat().flatMap((action) => [statement.Resource].flat().map((resource) => `${String(action)} → ${resourceId(resource)}`)))
    .sort();
};

const idOf = (synthesized: { stack: ConnectWebhooksStack }, construct: (stack: ConnectWebhooksStack) => IConstruct): string => logicalId(construct(synthesized.stack), synthesized.stack);

/** Active tracing's two actions, which X-Ray offers on no narrower resource than `*`. */
const XRAY_GRANTS = ['xray:PutTelemetryRecords → "*"', 'xray:PutTraceSegments → "*"'];

describe('least privilege: the exact IAM actions of each function', () => {
  const synthesized = synthesize();

  test('the ingest may write its log group, send to the event queue and read the webhook secret, nothing else', () => {
    // Prepare
    const [logs, queue, secret] = [idOf(synthesized, (s) => s.webhooks.ingestLogGroup), idOf(synthesized, (s) => s.webhooks.queue), idOf(synthesized, (s) => s.webhooks.webhookSecret)];

    // Act
    const grants = grantsOf(synthesized, 'ingestFunction');

    // Assess
    expect(grants).toEqual([
      `logs:CreateLogStream → ${logs}`,
      `logs:PutLogEvents → ${logs}`,
      `secretsmanager:GetSecretValue → ${secret}`,
      `sqs:SendMessage → ${queue}`,
      ...XRAY_GRANTS,
    ]);
  });

  test('the worker may write its log group, consume the queue, read the Stripe API key, and call exactly the ledger and state actions it uses', () => {
    // Prepare
    const [logs, queue, ledger, state, apiKey] = [
      idOf(synthesized, (s) => s.webhooks.workerLogGroup),
      idOf(synthesized, (s) => s.webhooks.queue),
      idOf(synthesized, (s) => s.webhooks.ledgerTable),
      idOf(synthesized, (s) => s.webhooks.stateTable),
      idOf(synthesized, (s) => s.webhooks.stripeApiKeySecret),
    ];

    // Act
    const grants = grantsOf(synthesized, 'workerFunction');

    // Assess
    expect(grants).toEqual(
      [
        `dynamodb:ConditionCheckItem → ${state}`,
        `dynamodb:GetItem → ${ledger}`,
        `dynamodb:GetItem → ${state}`,
        `dynamodb:PutItem → ${ledger}`,
        `dynamodb:UpdateItem → ${ledger}`,
        `dynamodb:UpdateItem → ${state}`,
        `logs:CreateLogStream → ${logs}`,
        `logs:PutLogEvents → ${logs}`,
        // Thin events are fetched from Stripe with the platform's key (workerStripeApiAccess, on by default).
        `secretsmanager:GetSecretValue → ${apiKey}`,
        // The SQS event source's own grant (CDK's grantConsumeMessages): what Lambda's poller calls.
        `sqs:ChangeMessageVisibility → ${queue}`,
        `sqs:DeleteMessage → ${queue}`,
        `sqs:GetQueueAttributes → ${queue}`,
        `sqs:GetQueueUrl → ${queue}`,
        `sqs:ReceiveMessage → ${queue}`,
        ...XRAY_GRANTS,
      ].sort(),
    );
  });

  test('no function may delete items, batch-write, scan or read streams', () => {
    // Prepare
    const roles = [synthesized.stack.webhooks.ingestFunction, synthesized.stack.webhooks.workerFunction].map((fn) => logicalId(fn.role!, synthesized.stack));

    // Act
    const actions = roles.flatMap((roleId) => actionsOf(statementsOfRole(synthesized.template, roleId)));

    // Assess
    expect(actions.filter((action) => /^dynamodb:(DeleteItem|BatchWriteItem|BatchGetItem|Scan|GetRecords|GetShardIterator|DescribeStream)$/.test(action))).toEqual([]);
  });
});

describe('the worker and the Stripe API key', () => {
  test('with workerStripeApiAccess: false the worker may not read the API key secret and is not told its ARN', () => {
    // Prepare
    const synthesized = synthesize({ webhooks: { workerStripeApiAccess: false } });
    const secretId = idOf(synthesized, (s) => s.webhooks.stripeApiKeySecret);

    // Act
    const grants = grantsOf(synthesized, 'workerFunction');
    const environment = propertiesOf(synthesized.template, 'AWS::Lambda::Function', idOf(synthesized, (s) => s.webhooks.workerFunction)).Environment as { Variables: Record<string, unknown> };

    // Assess
    expect(grants.filter((grant) => grant.endsWith(secretId))).toEqual([]);
    expect(environment.Variables).not.toHaveProperty('STRIPE_API_KEY_SECRET_ID');
  });

  test('by default (thin events are fetched from Stripe) the worker may read the API key secret, GetSecretValue only, and gets its ARN', () => {
    // Prepare
    const synthesized = synthesize();
    const secretId = idOf(synthesized, (s) => s.webhooks.stripeApiKeySecret);

    // Act
    const grants = grantsOf(synthesized, 'workerFunction');
    const environment = propertiesOf(synthesized.template, 'AWS::Lambda::Function', idOf(synthesized, (s) => s.webhooks.workerFunction)).Environment as { Variables: Record<string, unknown> };

    // Assess
    expect(grants.filter((grant) => grant.endsWith(secretId))).toEqual([`secretsmanager:GetSecretValue → ${secretId}`]);
    expect(environment.Variables.STRIPE_API_KEY_SECRET_ID).toEqual({ Ref: secretId });
  });
});

describe('customer-managed KMS key (encryptionKey)', () => {
  // The key is created in the construct's own stack, as an operator would.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const keyStack = new Stack(app, 'KeyStack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const encryptionKey = new Key(keyStack, 'Key', { enableKeyRotation: true });
  const webhooks = new StripeConnectWebhooks(keyStack, 'Webhooks', { encryptionKey });
  const template = Template.fromStack(keyStack);
  const idIn = (construct: IConstruct): string => keyStack.getLogicalId(construct.node.defaultChild as CfnElement);
  const keyRef = { 'Fn::GetAtt': [idIn(encryptionKey), 'Arn'] };
  const keyGrants = (fn: 'ingestFunction' | 'workerFunction' | 'reconcilerFunction'): string[] =>
    actionsOf(statementsOfRole(template, idIn(webhooks[fn].role!)).filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyRef))).sort();

  test.each(['ledgerTable', 'stateTable'] as const)('the %s is encrypted with the key', (table) => {
    // Prepare
    const id = idIn(webhooks[table]);

    // Act
    const properties = propertiesOf(template, 'AWS::DynamoDB::GlobalTable', id);

    // Assess
    expect(properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(properties.Replicas).toEqual([expect.objectContaining({ SSESpecification: { KMSMasterKeyId: keyRef } })]);
  });

  test.each(['queue', 'deadLetterQueue'] as const)('the %s is encrypted with the key', (queue) => {
    // Prepare
    const id = idIn(webhooks[queue]);

    // Act
    const properties = propertiesOf(template, 'AWS::SQS::Queue', id);

    // Assess
    expect(properties.KmsMasterKeyId).toEqual(keyRef);
    expect(properties).not.toHaveProperty('SqsManagedSseEnabled');
  });

  test('the ingest may generate data keys and decrypt with it, to send to the encrypted queue, and nothing more', () => {
    // Prepare
    const fn = 'ingestFunction';

    // Act
    const actions = keyGrants(fn);

    // Assess
    expect(actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('the worker may use it for the encrypted tables and queue', () => {
    // Prepare
    const fn = 'workerFunction';

    // Act
    const actions = keyGrants(fn);

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']));
  });

  test('the reconciler may use it to read the ledger and write its own items in the encrypted state table', () => {
    // Prepare
    const fn = 'reconcilerFunction';

    // Act
    const actions = keyGrants(fn);

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']));
  });

  test('no key statement applies to every resource', () => {
    // Prepare
    const roles = [webhooks.ingestFunction, webhooks.workerFunction, webhooks.reconcilerFunction].map((fn) => idIn(fn.role!));

    // Act
    const keyStatements = roles.flatMap((roleId) => statementsOfRole(template, roleId)).filter((statement) => [statement.Action].flat().some((action) => String(action).startsWith('kms:')));
    const everywhere = keyStatements.filter((statement) => [statement.Resource].flat().includes('*'));

    // Assess
    expect(everywhere).toEqual([]);
  });

  test('an environment-agnostic stack with the key fails synth with what to do', () => {
    // Prepare
    const agnostic = new Stack(new App(), 'Agnostic');
    const key = new Key(agnostic, 'Key', { enableKeyRotation: true });

    // Act
    const build = () => new StripeConnectWebhooks(agnostic, 'Webhooks', { encryptionKey: key });

    // Assess
    expect(build).toThrow('encryptionKey needs a stack with an explicit region');
  });

  test('without the prop, tables keep DynamoDB\'s default encryption and queues SQS-managed SSE', () => {
    // Prepare
    const plain = synthesize();

    // Act
    const queue = propertiesOf(plain.template, 'AWS::SQS::Queue', idOf(plain, (s) => s.webhooks.queue));
    const ledger = propertiesOf(plain.template, 'AWS::DynamoDB::GlobalTable', idOf(plain, (s) => s.webhooks.ledgerTable));

    // Assess
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(ledger).not.toHaveProperty('SSESpecification');
  });
});
