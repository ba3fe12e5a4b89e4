import type { EventHandler } from '../handler-registry';

/** Records the person's verification status; no personal data leaves the event. */
export const handlePersonUpdated: EventHandler<'person.updated'> = async ({ event }) => ({
  account: event.data.object.account,
  person: event.data.object.id,
  verificationStatus: event.data.object.verification?.status ?? null,
});
