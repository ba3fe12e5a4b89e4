import type { ThinEventHandler } from '../../thin-handler';
import { projectV2AccountProfile } from './v2-account-profile';

/** `v2.core.account.closed` → the account's PROFILE, from the account fetched now (`v2-account-profile.ts`). */
export const projectV2CoreAccountClosed: ThinEventHandler<'v2.core.account.closed'> = (input) => projectV2AccountProfile(input);
