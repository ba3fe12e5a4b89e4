import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../functions/adapters/aws-clients';
import { STRIPE_PARTNER_SOURCE_PREFIX } from '../functions/core/delivery';
import type { PipelineState } from '../local/local-settings';
import { useEmulatorEndpoints } from '../local/pipeline';

/** The EventBridge event Stripe's partner event source puts on the bus: `detail` is the Stripe event (snapshot or thin). */
export const eventBridgeEnvelopeOf = (options: { readonly type: string; readonly detail: unknown }): string =>
  JSON.stringify({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': options.type,
    source: `${STRIPE_PARTNER_SOURCE_PREFIX}/ed_test_local_trigger`,
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: options.detail,
  });

/**
 * Puts an EventBridge delivery straight into the local pipeline's queue, as the stack's rule does on AWS: no HTTP
 * and no signature. Returns the queue's message id.
 */
export const putEventBridgeDelivery = async (options: { readonly state: PipelineState; readonly type: string; readonly detail: unknown }): Promise<string> => {
  useEmulatorEndpoints(options.state.endpoints);
  const sqs = createSqsClient();
  try {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: options.state.resources.queueUrl, MessageBody: eventBridgeEnvelopeOf(options) }));
    return sent.MessageId ?? '(no message id)';
  } finally {
    sqs.destroy();
  }
};
