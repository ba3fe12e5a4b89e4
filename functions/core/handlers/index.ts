import { createHandlerRegistry } from '../handler-registry';
import type { HandlerMap } from '../handler-registry';
import { handleAccountApplicationDeauthorized } from './account-application-deauthorized';
import { handleAccountExternalAccountUpdated } from './account-external-account-updated';
import { handleAccountUpdated } from './account-updated';
import { handleBalanceAvailable } from './balance-available';
import { handlePaymentIntentSucceeded } from './payment-intent-succeeded';
import { handlePayoutFailed } from './payout-failed';
import { handlePersonUpdated } from './person-updated';

/**
 * The one place event handlers are registered. Add a handler for any type of Stripe's `Event` union here;
 * types without a handler are recorded `ignored` in the ledger and acknowledged.
 */
export const connectHandlers: HandlerMap = {
  'account.updated': handleAccountUpdated,
  'account.application.deauthorized': handleAccountApplicationDeauthorized,
  'person.updated': handlePersonUpdated,
  'account.external_account.updated': handleAccountExternalAccountUpdated,
  'payout.failed': handlePayoutFailed,
  'payment_intent.succeeded': handlePaymentIntentSucceeded,
  'balance.available': handleBalanceAvailable,
};

/** The registry the worker uses. */
export const defaultRegistry = createHandlerRegistry(connectHandlers);
