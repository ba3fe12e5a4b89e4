import type { ThinEventHandler } from '../../thin-handler';
import { projectV2AccountProfile } from './v2-account-profile';

/** `v2.core.account[future_requirements].updated` → the account's PROFILE, from the account fetched now (`v2-account-profile.ts`). */
export const projectV2CoreAccountFutureRequirementsUpdated: ThinEventHandler<'v2.core.account[future_requirements].updated'> = (input) => projectV2AccountProfile(input);
