import type { ThinHandlerMap } from '../../thin-handler';
import { projectV2CoreAccountCreated } from './v2-core-account-created';
import { projectV2CoreAccountUpdated } from './v2-core-account-updated';
import { projectV2CoreAccountClosed } from './v2-core-account-closed';
import { projectV2CoreAccountRequirementsUpdated } from './v2-core-account-requirements-updated';
import { projectV2CoreAccountFutureRequirementsUpdated } from './v2-core-account-future-requirements-updated';
import { projectV2CoreAccountIdentityUpdated } from './v2-core-account-identity-updated';
import { projectV2CoreAccountDefaultsUpdated } from './v2-core-account-defaults-updated';
import { projectV2CoreAccountConfigurationCustomerUpdated } from './v2-core-account-configuration-customer-updated';
import { projectV2CoreAccountConfigurationMerchantUpdated } from './v2-core-account-configuration-merchant-updated';
import { projectV2CoreAccountConfigurationRecipientUpdated } from './v2-core-account-configuration-recipient-updated';
import { projectV2CoreAccountConfigurationCustomerCapabilityStatusUpdated } from './v2-core-account-configuration-customer-capability-status-updated';
import { projectV2CoreAccountConfigurationMerchantCapabilityStatusUpdated } from './v2-core-account-configuration-merchant-capability-status-updated';
import { projectV2CoreAccountConfigurationRecipientCapabilityStatusUpdated } from './v2-core-account-configuration-recipient-capability-status-updated';
import { projectV2CoreAccountLinkReturned } from './v2-core-account-link-returned';
import { projectV2CoreAccountPersonCreated } from './v2-core-account-person-created';
import { projectV2CoreAccountPersonUpdated } from './v2-core-account-person-updated';
import { projectV2CoreAccountPersonDeleted } from './v2-core-account-person-deleted';

/** The built-in projections of Accounts v2 thin events into the state table, one per event type. */
export const accountsV2Projections: ThinHandlerMap = {
  'v2.core.account.created': projectV2CoreAccountCreated,
  'v2.core.account.updated': projectV2CoreAccountUpdated,
  'v2.core.account.closed': projectV2CoreAccountClosed,
  'v2.core.account[requirements].updated': projectV2CoreAccountRequirementsUpdated,
  'v2.core.account[future_requirements].updated': projectV2CoreAccountFutureRequirementsUpdated,
  'v2.core.account[identity].updated': projectV2CoreAccountIdentityUpdated,
  'v2.core.account[defaults].updated': projectV2CoreAccountDefaultsUpdated,
  'v2.core.account[configuration.customer].updated': projectV2CoreAccountConfigurationCustomerUpdated,
  'v2.core.account[configuration.merchant].updated': projectV2CoreAccountConfigurationMerchantUpdated,
  'v2.core.account[configuration.recipient].updated': projectV2CoreAccountConfigurationRecipientUpdated,
  'v2.core.account[configuration.customer].capability_status_updated': projectV2CoreAccountConfigurationCustomerCapabilityStatusUpdated,
  'v2.core.account[configuration.merchant].capability_status_updated': projectV2CoreAccountConfigurationMerchantCapabilityStatusUpdated,
  'v2.core.account[configuration.recipient].capability_status_updated': projectV2CoreAccountConfigurationRecipientCapabilityStatusUpdated,
  'v2.core.account_link.returned': projectV2CoreAccountLinkReturned,
  'v2.core.account_person.created': projectV2CoreAccountPersonCreated,
  'v2.core.account_person.updated': projectV2CoreAccountPersonUpdated,
  'v2.core.account_person.deleted': projectV2CoreAccountPersonDeleted,
};
