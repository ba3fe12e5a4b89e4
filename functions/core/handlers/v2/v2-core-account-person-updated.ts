import type { ThinEventHandler } from '../../thin-handler';
import { projectV2PersonUpsert } from './v2-person';

/** `v2.core.account_person.updated` → the PERSON record, from the person fetched now (`v2-person.ts`). */
export const projectV2CoreAccountPersonUpdated: ThinEventHandler<'v2.core.account_person.updated'> = (input) => projectV2PersonUpsert(input);
