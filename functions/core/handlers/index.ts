import type { HandlerMap } from '../handler-registry';
import { projectAccountApplicationAuthorized } from './account-application-authorized';
import { projectAccountApplicationDeauthorized } from './account-application-deauthorized';
import { projectExternalAccountUpdated } from './account-external-account-updated';
import { projectAccountUpdated } from './account-updated';
import { projectBalanceAvailable } from './balance-available';
import { projectPaymentIntentSucceeded } from './payment-intent-succeeded';
import { projectPayoutFailed } from './payout-failed';
import { projectPayoutPaid } from './payout-paid';
import { projectPersonUpdated } from './person-updated';

/** The built-in projections of Connect events into the state table, one per event type. */
export const connectProjections: HandlerMap = {
  'account.updated': projectAccountUpdated,
  'account.application.authorized': projectAccountApplicationAuthorized,
  'account.application.deauthorized': projectAccountApplicationDeauthorized,
  'person.updated': projectPersonUpdated,
  'account.external_account.updated': projectExternalAccountUpdated,
  'payout.failed': projectPayoutFailed,
  'payout.paid': projectPayoutPaid,
  'payment_intent.succeeded': projectPaymentIntentSucceeded,
  'balance.available': projectBalanceAvailable,
};
