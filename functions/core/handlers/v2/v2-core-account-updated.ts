import type { ThinEventHandler } from '../../thin-handler';
import { projectV2AccountProfile } from './v2-account-profile';

/** `v2.core.account.updated` → the account's PROFILE, from the account fetched now (`v2-account-profile.ts`). */
export const projectV2CoreAccountUpdated: ThinEventHandler<'v2.core.account.updated'> = (input) => projectV2AccountProfile(input);
