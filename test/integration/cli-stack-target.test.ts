import { accountsCommand } from '../../cli/accounts-command';
import { eventsCommand } from '../../cli/events-command';
import { loadStackTarget } from '../../cli/stack-target';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb-documents';
import { createDynamoDbEventLedger } from '../../functions/adapters/dynamodb-event-ledger';
import { captureError } from '../support/capture-error';
import { runCli } from '../support/cli-runner';
import { startDeployedStackFakes } from '../support/deployed-stack-fakes';
import type { DeployedStackFakes } from '../support/deployed-stack-fakes';
import { nowSeconds, stripeId } from '../support/event-factory';
import { createTestTables } from './pipeline-harness';

jest.setTimeout(30_000);

const OUTPUTS = {
  AccountWebhookUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/webhooks/account',
  ConnectWebhookUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/webhooks/connect',
  QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/Webhooks-events',
  DeadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/Webhooks-events-dlq',
  LedgerTableName: 'Webhooks-ledger',
  StateTableName: 'Webhooks-state',
};

describe('--stack: resources found from a deployed stack\'s outputs', () => {
  let fakes: DeployedStackFakes;

  beforeAll(async () => {
    fakes = await startDeployedStackFakes();
  });

  afterAll(async () => {
    await fakes.stop();
  });

  test('each output maps to the resource the CLI uses', async () => {
    // Prepare
    const { stack, secretId } = fakes.deploy({ outputs: OUTPUTS });

    // Act
    const target = await loadStackTarget({ stack });

    // Assess
    expect({
      ledger: target.resource('ledgerTableName'),
      state: target.resource('stateTableName'),
      queue: target.resource('queueUrl'),
      dlq: target.resource('deadLetterQueueUrl'),
      secret: target.resource('webhookSecretName'),
      account: target.resource('accountWebhookUrl'),
      connect: target.resource('connectWebhookUrl'),
    }).toEqual({ ledger: OUTPUTS.LedgerTableName, state: OUTPUTS.StateTableName, queue: OUTPUTS.QueueUrl, dlq: OUTPUTS.DeadLetterQueueUrl, secret: secretId, account: OUTPUTS.AccountWebhookUrl, connect: OUTPUTS.ConnectWebhookUrl });
  });

  test('a stack that does not exist is a clear error naming the stack and the region', async () => {
    // Prepare
    const stack = 'NoSuchStack';

    // Act
    const error = await captureError(() => loadStackTarget({ stack }));

    // Assess
    expect((error as Error).message).toBe('Stack "NoSuchStack" does not exist in region us-east-1. Check --stack, and --region (or AWS_REGION).');
  });

  test('events show --stack on a stack that does not exist exits 1 with that error', async () => {
    // Prepare
    const args = ['events', 'show', stripeId('evt'), '--stack', 'NoSuchStack'];

    // Act
    const run = await runCli([eventsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('error: Stack "NoSuchStack" does not exist');
  });

  test('a stack without the needed output is a clear error listing the outputs it has, exit code 1', async () => {
    // Prepare
    const { stack } = fakes.deploy({ outputs: { LedgerTableName: 'only-the-ledger' } });

    // Act
    const run = await runCli([accountsCommand()], ['accounts', 'list', '--stack', stack]);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`Stack "${stack}" (CREATE_COMPLETE) has no output "StateTableName"; its outputs: WebhookSecretName, LedgerTableName.`);
  });

  test('--region without --stack is refused rather than ignored, as a usage error (exit 2)', async () => {
    // Prepare
    const args = ['events', 'list', '--region', 'eu-west-1'];

    // Act
    const run = await runCli([eventsCommand()], args);

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--region applies to a deployed stack');
  });

  describe('with the stack\'s tables in DynamoDB Local', () => {
    let tables: Awaited<ReturnType<typeof createTestTables>>;
    let stack: string;

    beforeAll(async () => {
      tables = await createTestTables();
      ({ stack } = fakes.deploy({ outputs: { ...OUTPUTS, LedgerTableName: tables.ledgerTable, StateTableName: tables.stateTable } }));
    });

    test('events show --stack reads the ledger table the stack names', async () => {
      // Prepare
      const eventId = stripeId('evt');
      const ledger = createDynamoDbEventLedger({ client: createDocumentClient(), tableName: tables.ledgerTable, stateTableName: tables.stateTable });
      await ledger.claim({ facts: { eventId, eventType: 'account.updated', account: 'acct_1StackTarget', livemode: false, created: nowSeconds() }, nowMs: Date.now() });

      // Act
      const run = await runCli([eventsCommand()], ['events', 'show', eventId, '--stack', stack]);

      // Assess
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ eventId, status: 'processing', eventType: 'account.updated' });
    });

    test('accounts list --stack reads the state table the stack names', async () => {
      // Prepare
      const item = { pk: 'ACCOUNT#acct_1StackTarget#test', sk: 'PROFILE', businessName: 'Stack Target Ltd', chargesEnabled: true, payoutsEnabled: true };
      await createDocumentClient().send(new PutCommand({ TableName: tables.stateTable, Item: item }));

      // Act
      const run = await runCli([accountsCommand()], ['accounts', 'list', '--stack', stack, '--json']);

      // Assess
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ account: 'acct_1StackTarget', mode: 'test', businessName: 'Stack Target Ltd' })]);
    });
  });
});
