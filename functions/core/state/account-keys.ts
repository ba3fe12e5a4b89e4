/** How accounts and modes map to partitions, and records to sort keys, in the Connect state table. */

/** `live` or `test`: a test-mode event never touches live state. */
export const modeOf = (livemode: boolean): 'live' | 'test' => (livemode ? 'live' : 'test');

/** The partition of a connected account in one mode, or of the platform itself when `account` is undefined. */
export const partitionOf = (options: { readonly account: string | undefined; readonly livemode: boolean }): string =>
  options.account === undefined ? `PLATFORM#${modeOf(options.livemode)}` : `ACCOUNT#${options.account}#${modeOf(options.livemode)}`;

/** Reads account and mode back from a partition key. */
export const parsePartition = (partition: string): { readonly account?: string; readonly mode: 'live' | 'test' } => {
  const parts = partition.split('#');
  const mode = parts[parts.length - 1] === 'live' ? 'live' : 'test';
  return parts[0] === 'ACCOUNT' && parts[1] !== undefined ? { account: parts[1], mode } : { mode };
};

/** Sort keys of the record types. */
export const RecordKey = {
  profile: 'PROFILE',
  deauthorization: 'DEAUTHORIZATION',
  balance: 'BALANCE',
  person: (id: string) => `PERSON#${id}`,
  externalAccount: (id: string) => `EXTERNAL_ACCOUNT#${id}`,
  payout: (id: string) => `PAYOUT#${id}`,
  payoutAttention: (destination: string) => `PAYOUT_ATTENTION#${destination}`,
  payment: (id: string) => `PAYMENT#${id}`,
} as const;

/** The record type named by a sort key (its part before `#`). */
export const recordTypeOf = (item: string): string => item.split('#')[0] ?? item;
