import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { DEFAULT_AWS_CALL_POLICY, createSqsClient } from '../../functions/adapters/aws-clients';
import { createSqsEventQueue } from '../../functions/adapters/sqs-event-queue';
import { QueueError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';
import { ProxyFault, startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy } from '../support/fault-proxy';
import { uniqueName } from '../support/pipeline-fixtures';

jest.setTimeout(60_000);

const ATTRIBUTES = { eventId: 'evt_1StalledCall', eventType: 'account.updated', livemode: false, route: 'connect', account: 'acct_1Stalled' } as const;

describe('per-attempt timeouts of AWS calls (the functions\' call policy)', () => {
  let proxy: FaultProxy | undefined;
  let queueUrl: string;

  beforeAll(async () => {
    const created = await createSqsClient().send(new CreateQueueCommand({ QueueName: uniqueName('stall') }));
    queueUrl = created.QueueUrl ?? '';
  });

  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  test('a stalled SendMessage is abandoned and retried, and the message is sent', async () => {
    // Prepare: the first SendMessage stalls forever; the function's default policy (not the longer local one).
    proxy = await startFaultProxy({ upstream: process.env.AWS_ENDPOINT_URL_SQS ?? '', faultFor: ({ operation, seen }) => (operation === 'SendMessage' && seen === 0 ? ProxyFault.stall : ProxyFault.none) });
    const queue = createSqsEventQueue({ client: createSqsClient({ endpoint: proxy.endpoint, calls: DEFAULT_AWS_CALL_POLICY }), queueUrl });

    // Act
    const sent = await queue.send({ body: '{"id":"evt_1StalledCall"}', attributes: ATTRIBUTES });

    // Assess
    expect(sent.messageId).toEqual(expect.any(String));
    expect(proxy.of('SendMessage').map((request) => request.fault)).toEqual([ProxyFault.stall, ProxyFault.none]);
  });

  test('a queue that stalls every attempt fails after the policy\'s attempts, as a QueueError', async () => {
    // Prepare
    proxy = await startFaultProxy({ upstream: process.env.AWS_ENDPOINT_URL_SQS ?? '', faultFor: () => ProxyFault.stall });
    const queue = createSqsEventQueue({ client: createSqsClient({ endpoint: proxy.endpoint, calls: DEFAULT_AWS_CALL_POLICY }), queueUrl });

    // Act
    const error = await captureError(() => queue.send({ body: '{}', attributes: ATTRIBUTES }));

    // Assess
    expect(error).toBeInstanceOf(QueueError);
    expect(proxy.of('SendMessage')).toHaveLength(DEFAULT_AWS_CALL_POLICY.maxAttempts);
  });
});
