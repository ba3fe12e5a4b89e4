import type { ThinEventHandler } from '../../thin-handler';
import { projectV2AccountProfile } from './v2-account-profile';

/** `v2.core.account[configuration.customer].capability_status_updated` → the account's PROFILE, from the account fetched now (`v2-account-profile.ts`). */
export const projectV2CoreAccountConfigurationCustomerCapabilityStatusUpdated: ThinEventHandler<'v2.core.account[configuration.customer].capability_status_updated'> = (input) => projectV2AccountProfile(input);
