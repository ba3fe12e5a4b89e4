import type { EventHandler } from '../handler-registry';

const idOf = (value: string | { readonly id: string } | null | undefined): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : value.id;

/**
 * Records whose payment it is: a direct charge carries the connected account on the event; a destination
 * charge names it in `transfer_data.destination` (or `on_behalf_of`); otherwise it is the platform's own.
 */
export const handlePaymentIntentSucceeded: EventHandler<'payment_intent.succeeded'> = async ({ event, account }) => {
  const intent = event.data.object;
  return {
    paymentIntent: intent.id,
    account: account ?? idOf(intent.transfer_data?.destination) ?? idOf(intent.on_behalf_of) ?? null,
    amount: intent.amount_received,
    currency: intent.currency,
  };
};
