import type { ThinEventHandler } from '../../thin-handler';
import { projectV2PersonUpsert } from './v2-person';

/** `v2.core.account_person.created` → the PERSON record, from the person fetched now (`v2-person.ts`). */
export const projectV2CoreAccountPersonCreated: ThinEventHandler<'v2.core.account_person.created'> = (input) => projectV2PersonUpsert(input);
