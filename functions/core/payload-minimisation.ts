import { isRecord } from './stripe-event';

/**
 * What the ledger keeps of an event's payload for replay. The ledger holds payloads for 35 days, longer than the
 * Connect state needs personal data: a `person.*` event carries the person's date of birth, address, e-mail,
 * phone, nationality and document ids, and an `account.*` event of an individual account carries the same under
 * `individual`. The projections never read them, so the stored copy drops them: a replay projects the same
 * state from the minimised payload as the first delivery did from the original.
 *
 * Persons are kept by an allow-list (what the person projection reads), so a field Stripe adds later is dropped
 * too rather than stored. Every other event is stored as received, byte for byte.
 */

type Json = Record<string, unknown>;

/** A path of nested keys to keep; `true` keeps the whole value. */
type KeepTree = { readonly [key: string]: true | KeepTree };

/** The fields of a person the person projection reads (see `handlers/person-updated.ts`), plus its identity. */
const PERSON_KEEP: KeepTree = {
  id: true,
  object: true,
  account: true,
  created: true,
  first_name: true,
  last_name: true,
  relationship: { representative: true, owner: true, director: true, executive: true, title: true },
  verification: { status: true, details_code: true },
  requirements: true,
  future_requirements: true,
};

/** Objects of an account that describe a natural person: never read by the projections. */
const ACCOUNT_PERSONAL_KEYS = ['individual'] as const;

/** `value` with only the keys of `keep`, recursively. */
const pick = (value: Json, keep: KeepTree): Json =>
  Object.fromEntries(
    Object.entries(value).flatMap(([key, child]) => {
      const rule = keep[key];
      if (rule === undefined) return [];
      if (rule === true || !isRecord(child)) return [[key, child]];
      return [[key, pick(child, rule)]];
    }),
  );

const withoutKeys = (value: Json, keys: readonly string[]): Json => Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));

/** How a family of event types is minimised: `applies` to a data member, `minimise` it. */
interface Minimiser {
  readonly applies: (object: Json) => boolean;
  readonly minimise: (object: Json) => Json;
}

const PERSON: Minimiser = { applies: () => true, minimise: (object) => pick(object, PERSON_KEEP) };
const ACCOUNT: Minimiser = {
  applies: (object) => ACCOUNT_PERSONAL_KEYS.some((key) => key in object),
  minimise: (object) => withoutKeys(object, ACCOUNT_PERSONAL_KEYS),
};

const minimiserFor = (eventType: string): Minimiser | undefined => {
  if (eventType.startsWith('person.')) return PERSON;
  if (eventType.startsWith('account.') && !eventType.startsWith('account.external_account.')) return ACCOUNT;
  return undefined;
};

/** The data members that carry the object: the object itself and the previous values of what changed. */
const DATA_MEMBERS = ['object', 'previous_attributes'] as const;

/** The event with its personal data removed, or undefined when it has none to remove. */
const minimiseEvent = (event: Json, minimiser: Minimiser): Json | undefined => {
  if (!isRecord(event.data)) return undefined;
  const data: Json = { ...event.data };
  const members = DATA_MEMBERS.filter((member) => {
    const value = data[member];
    return isRecord(value) && minimiser.applies(value);
  });
  if (members.length === 0) return undefined;
  for (const member of members) data[member] = minimiser.minimise(data[member] as Json);
  return { ...event, data };
};

/**
 * The payload to store for replay: the raw body itself when the event carries no personal data the projections
 * skip, else the event with that data removed (`data.object` and `data.previous_attributes`; for an Amazon
 * EventBridge delivery, those of the event in its `detail`). A body that is not a JSON event is returned as is (the
 * worker refuses it before storing anything).
 */
export const minimisePayload = (eventType: string, body: string): string => {
  const minimiser = minimiserFor(eventType);
  if (minimiser === undefined) return body;
  // Most account events have no `individual`: keep those bytes without parsing them again.
  if (minimiser === ACCOUNT && !ACCOUNT_PERSONAL_KEYS.some((key) => body.includes(`"${key}"`))) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (!isRecord(parsed)) return body;
  if (isRecord(parsed.detail)) {
    const detail = minimiseEvent(parsed.detail, minimiser);
    return detail === undefined ? body : JSON.stringify({ ...parsed, detail });
  }
  const event = minimiseEvent(parsed, minimiser);
  return event === undefined ? body : JSON.stringify(event);
};
