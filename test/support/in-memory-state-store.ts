import { STATE_KEY } from '../../functions/adapters/dynamodb-state-commit';
import { LedgerError } from '../../functions/core/errors';
import type { AccountStateReader } from '../../functions/core/ports';
import { authorizationVersionsOf, isBlockedByDeauthorization } from '../../functions/core/state/authorization';
import { versionAttribute } from '../../functions/core/state/state-write';
import type { DeauthorizationGuard, StateWrite } from '../../functions/core/state/state-write';

/** One item of the Connect state table, with its key attributes (`pk`, `sk`) like a DynamoDB item. */
export type StateItem = Readonly<Record<string, unknown>>;

/**
 * The Connect state table in memory: a Map keyed by `partition|item`. It reads like
 * `functions/adapters/dynamodb-account-state.ts` and evaluates the conditions of
 * `functions/adapters/dynamodb-state-commit.ts`; the in-memory ledger commits into it.
 */
export interface InMemoryStateStore extends AccountStateReader {
  /** The stored item (a copy), or undefined. */
  get(partition: string, item: string): StateItem | undefined;
  /** Every item (copies), ordered by partition then sort key. */
  all(): StateItem[];
  /** Stores attributes as-is, as if an earlier event had written them. */
  seed(partition: string, item: string, attributes: Record<string, unknown>): void;
  /** How many times `authorizationOf` was read. */
  readonly authorizationReads: number;
  /** The guard's ConditionCheck: not blocked by the item's deauthorization (`isBlockedByDeauthorization`). */
  guardHolds(guard: DeauthorizationGuard): boolean;
  /** The write's condition: the facet's version attribute absent, or less than the write's version. */
  acceptsWrite(write: StateWrite): boolean;
  /** The write's UpdateExpression, without its condition: `set` and the version assigned, `setOnce` only where absent. */
  apply(write: StateWrite): void;
}

/** `partition|item`, the store's key. */
export const stateKey = (partition: string, item: string): string => `${partition}|${item}`;

/** DynamoDB orders strings by their UTF-8 bytes. */
export const compareStrings = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * What the document client (`removeUndefinedValues: true`) stores for a value: undefined map entries and list
 * elements are dropped, and the value is copied.
 */
export const asStored = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.filter((entry) => entry !== undefined).map(asStored);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined).map(([key, entry]) => [key, asStored(entry)]));
  }
  return value;
};

/** `attribute_not_exists(#version) OR #version <op> :version`; an attribute of another type never compares true. */
const versionCondition = (item: StateItem | undefined, attribute: string, holds: (comparison: number) => boolean, version: string): boolean => {
  if (item === undefined || !Object.hasOwn(item, attribute)) return true;
  const stored = item[attribute];
  return typeof stored === 'string' && holds(compareStrings(stored, version));
};

/**
 * The request checks DynamoDB makes before evaluating any condition: they fail the whole commit with a
 * ValidationException, which the adapter turns into a `LedgerError`.
 */
export const validateTransaction = (writes: readonly StateWrite[], guards: readonly DeauthorizationGuard[]): void => {
  const invalid = (detail: string): never => {
    throw new LedgerError({ detail: `commit: ValidationException: ${detail}` });
  };
  if (1 + guards.length + writes.length > 100) invalid('a transaction holds at most 100 items');
  const keys = [...guards.map((guard) => stateKey(guard.partition, guard.item)), ...writes.map((write) => stateKey(write.partition, write.item))];
  if (new Set(keys).size !== keys.length) invalid('Transaction request cannot include multiple operations on one item');
  for (const write of writes) {
    const set = { ...write.set, [versionAttribute(write.facet)]: write.version };
    const once = write.setOnce ?? {};
    for (const name of [...Object.keys(set), ...Object.keys(once)]) {
      if (name === STATE_KEY.partition || name === STATE_KEY.item) invalid(`Cannot update attribute ${name}. This attribute is part of the key`);
    }
    if (Object.keys(once).some((name) => Object.hasOwn(set, name))) invalid('Two document paths overlap');
    // The document client drops an undefined expression value; the expression then names a value that is not defined.
    if ([...Object.values(set), ...Object.values(once)].some((value) => value === undefined)) invalid('An expression attribute value used in expression is not defined');
  }
};

export const createInMemoryStateStore = (): InMemoryStateStore => {
  const items = new Map<string, Record<string, unknown>>();
  let authorizationReads = 0;
  const copy = (item: Record<string, unknown>): StateItem => structuredClone(item);
  const sorted = (list: Record<string, unknown>[]): StateItem[] =>
    list
      .sort((a, b) => compareStrings(String(a[STATE_KEY.partition]), String(b[STATE_KEY.partition])) || compareStrings(String(a[STATE_KEY.item]), String(b[STATE_KEY.item])))
      .map(copy);

  return {
    get: (partition, item) => {
      const found = items.get(stateKey(partition, item));
      return found === undefined ? undefined : copy(found);
    },
    all: () => sorted([...items.values()]),
    seed: (partition, item, attributes) => {
      items.set(stateKey(partition, item), { ...(asStored(attributes) as Record<string, unknown>), [STATE_KEY.partition]: partition, [STATE_KEY.item]: item });
    },
    get authorizationReads() {
      return authorizationReads;
    },

    async partition(partition) {
      return sorted([...items.values()].filter((item) => item[STATE_KEY.partition] === partition));
    },
    async authorizationOf({ partition, item }) {
      authorizationReads += 1;
      return authorizationVersionsOf(items.get(stateKey(partition, item)));
    },
    async profiles() {
      return sorted([...items.values()]);
    },

    guardHolds: (guard) => {
      const item = items.get(stateKey(guard.partition, guard.item));
      const deauthorized = item?.[guard.versionAttribute];
      const authorized = item?.[guard.authorizationAttribute];
      return !isBlockedByDeauthorization({ ...(typeof deauthorized === 'string' ? { deauthorized } : {}), ...(typeof authorized === 'string' ? { authorized } : {}) }, guard.version);
    },
    acceptsWrite: (write) =>
      versionCondition(items.get(stateKey(write.partition, write.item)), versionAttribute(write.facet), (comparison) => comparison < 0, write.version),
    apply: (write) => {
      const key = stateKey(write.partition, write.item);
      const item: Record<string, unknown> = items.get(key) ?? { [STATE_KEY.partition]: write.partition, [STATE_KEY.item]: write.item };
      for (const [name, value] of Object.entries({ ...write.set, [versionAttribute(write.facet)]: write.version })) item[name] = asStored(value);
      for (const [name, value] of Object.entries(write.setOnce ?? {})) {
        if (!Object.hasOwn(item, name)) item[name] = asStored(value);
      }
      items.set(key, item);
    },
  };
};
