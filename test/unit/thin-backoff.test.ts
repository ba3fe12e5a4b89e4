import { backoffSeconds, DEFAULT_BACKOFF_POLICY } from '../../functions/core/retry-backoff';
import type { MessageDeferral } from '../../functions/core/retry-backoff';
import { createWorkerHandler } from '../../functions/worker/create-handler';
import { loadThinNotification } from '../support/thin-fixtures';
import { createThinWorkerHarness } from '../support/thin-worker-harness';
import { sqsEvent, sqsRecord } from '../support/worker-harness';

const recordingDeferral = (options: { readonly failing?: boolean } = {}): MessageDeferral & { calls: Array<{ receiptHandle: string; seconds: number }> } => {
  const calls: Array<{ receiptHandle: string; seconds: number }> = [];
  return {
    calls,
    async defer(input) {
      calls.push({ ...input });
      if (options.failing === true) throw new Error('SQS unavailable');
    },
  };
};

describe('back-off while Stripe is unavailable', () => {
  test('grows ×4 per receive from 30 s and stops at the cap; jitter only shortens it, by at most 20 %', () => {
    // Prepare
    const receives = [1, 2, 3, 4, 5, 6, 30];

    // Act
    const noJitter = receives.map((receiveCount) => backoffSeconds({ receiveCount, random: () => 0 }));
    const fullJitter = receives.map((receiveCount) => backoffSeconds({ receiveCount, random: () => 0.999 }));

    // Assess
    expect(noJitter).toEqual([30, 120, 480, 1920, 7680, 28800, DEFAULT_BACKOFF_POLICY.maxSeconds]);
    fullJitter.forEach((seconds, index) => expect(seconds).toBeGreaterThanOrEqual(Math.floor((noJitter[index] as number) * 0.8)));
  });

  test('the worker reports the record for retry and extends its visibility by the back-off', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    harness.stripeV2.unavailableFor = 5;
    const deferral = recordingDeferral();
    const handle = createWorkerHandler({ ...harness.deps, deferral });
    const batch = sqsEvent([sqsRecord({ messageId: 'm-thin', body: loadThinNotification('v2.core.account[requirements].updated'), receiveCount: 3 })]);

    // Act
    const response = await handle(batch);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-thin' }]);
    expect(deferral.calls).toHaveLength(1);
    expect(deferral.calls[0]?.receiptHandle).toBe('receipt-m-thin');
    expect(deferral.calls[0]?.seconds).toBeGreaterThanOrEqual(384);
    expect(deferral.calls[0]?.seconds).toBeLessThanOrEqual(480);
  });

  test('a failed deferral still leaves the record for retry, with a warning', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    harness.stripeV2.unavailableFor = 5;
    const handle = createWorkerHandler({ ...harness.deps, deferral: recordingDeferral({ failing: true }) });
    const batch = sqsEvent([sqsRecord({ messageId: 'm-thin', body: loadThinNotification('v2.core.account[requirements].updated') })]);

    // Act
    const response = await handle(batch);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-thin' }]);
    expect(harness.logger.linesAt('warn')).toContainEqual(expect.objectContaining({ message: 'message could not be deferred; it returns after the visibility timeout' }));
  });

  test('a handler failure that is not an outage is retried at the queue pace, without a deferral', async () => {
    // Prepare
    const harness = createThinWorkerHarness();
    harness.stripeV2.events.clear();
    const deferral = recordingDeferral();
    const handle = createWorkerHandler({ ...harness.deps, deferral });
    const batch = sqsEvent([sqsRecord({ messageId: 'm-thin', body: loadThinNotification('v2.core.account[requirements].updated') })]);

    // Act
    const response = await handle(batch);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-thin' }]);
    expect(deferral.calls).toEqual([]);
  });
});
