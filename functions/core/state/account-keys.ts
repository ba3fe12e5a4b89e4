/** How accounts and modes map to partitions, and records to sort keys, in the Connect state table. */

/** `live` or `test`: a test-mode event never touches live state. */
export const modeOf = (livemode: boolean): 'live' | 'test' => (livemode ? 'live' : 'test');

/**
 * How many write shards an account (or the platform) spreads its high-volume records over. Each shard is a
 * partition key of its own, so one busy seller's payments and payouts share DynamoDB's 1,000 WCU/s per
 * partition key four ways and never the profile's partition. Changing it re-keys stored records.
 */
export const WRITE_SHARDS = 4;

/** The profile partition of a connected account in one mode, or of the platform itself when `account` is undefined. */
export const partitionOf = (options: { readonly account: string | undefined; readonly livemode: boolean }): string =>
  options.account === undefined ? `PLATFORM#${modeOf(options.livemode)}` : `ACCOUNT#${options.account}#${modeOf(options.livemode)}`;

/** One write shard of an account (or the platform) in one mode: `<profile partition>#S<n>`. */
export const shardPartitionOf = (options: { readonly account: string | undefined; readonly livemode: boolean; readonly shard: number }): string =>
  `${partitionOf(options)}#S${options.shard}`;

/** Every partition of an account in one mode: the profile's, then each write shard's (what `accounts show` queries). */
export const partitionsOf = (options: { readonly account: string | undefined; readonly livemode: boolean }): readonly string[] => [
  partitionOf(options),
  ...Array.from({ length: WRITE_SHARDS }, (_, shard) => shardPartitionOf({ ...options, shard })),
];

/** A stable shard for an id (FNV-1a over its characters): the same object always lands in the same shard. */
export const shardOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % WRITE_SHARDS;
};

/** Reads account and mode back from a partition key (a profile or a shard partition). */
export const parsePartition = (partition: string): { readonly account?: string; readonly mode: 'live' | 'test' } => {
  const parts = partition.split('#');
  if (parts[0] === 'ACCOUNT' && parts[1] !== undefined) return { account: parts[1], mode: parts[2] === 'live' ? 'live' : 'test' };
  return { mode: parts[1] === 'live' ? 'live' : 'test' };
};

/** Sort keys of the record types. */
export const RecordKey = {
  profile: 'PROFILE',
  deauthorization: 'DEAUTHORIZATION',
  /** In each write shard: a copy of the account's authorization facets that the deauthorization guard checks. */
  authorizationGuard: 'AUTHORIZATION_GUARD',
  balance: 'BALANCE',
  person: (id: string) => `PERSON#${id}`,
  externalAccount: (id: string) => `EXTERNAL_ACCOUNT#${id}`,
  payout: (id: string) => `PAYOUT#${id}`,
  payoutAttention: (destination: string) => `PAYOUT_ATTENTION#${destination}`,
  payment: (id: string) => `PAYMENT#${id}`,
} as const;

/** The record type named by a sort key (its part before `#`). */
export const recordTypeOf = (item: string): string => item.split('#')[0] ?? item;

/** Record types written once per payment or payout: they live in the write shards, never in the profile's partition. */
const SHARDED_RECORD_TYPES: ReadonlySet<string> = new Set([recordTypeOf(RecordKey.payment('x')), recordTypeOf(RecordKey.payout('x'))]);

/** The partition a record belongs in: high-volume records in the shard of their object id, the rest in the profile's. */
export const recordPartitionOf = (options: { readonly account: string | undefined; readonly livemode: boolean; readonly item: string }): string =>
  SHARDED_RECORD_TYPES.has(recordTypeOf(options.item)) ? shardPartitionOf({ ...options, shard: shardOf(options.item) }) : partitionOf(options);

/**
 * The reconciler's directory of connected accounts: one small record per account (sort key) in each mode's
 * partition, kept by the worker as events arrive, so the reconciler never reads the ledger to find them.
 */
export const scopeDirectoryPartitionOf = (livemode: boolean): string => `RECONCILE_SCOPES#${modeOf(livemode)}`;

/** The partition holding the reconciler's own items (cursors, lease): the only one it may write. */
export const RECONCILER_PARTITION = 'RECONCILER';
