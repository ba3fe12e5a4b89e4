import type { ThinEventHandler } from '../../thin-handler';
import { projectV2PersonDeleted } from './v2-person';

/** `v2.core.account_person.deleted` → a PERSON tombstone at the event's time (`v2-person.ts`). */
export const projectV2CoreAccountPersonDeleted: ThinEventHandler<'v2.core.account_person.deleted'> = (input) => projectV2PersonDeleted(input);
