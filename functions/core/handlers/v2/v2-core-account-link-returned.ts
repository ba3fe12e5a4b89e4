import type { ThinEventHandler } from '../../thin-handler';
import { projectV2AccountProfile } from './v2-account-profile';

/** `v2.core.account_link.returned` → the account's PROFILE, fetched again: onboarding through the link may have changed it. */
export const projectV2CoreAccountLinkReturned: ThinEventHandler<'v2.core.account_link.returned'> = (input) => projectV2AccountProfile(input, input.event.data.account_id);
