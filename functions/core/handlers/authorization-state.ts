import type Stripe from 'stripe';
import type { HandlerResult } from '../handler-registry';
import { RecordKey, WRITE_SHARDS, partitionOf, scopeDirectoryPartitionOf, shardPartitionOf } from '../state/account-keys';
import type { StateWrite } from '../state/state-write';
import { stateWrite } from './projection';

/**
 * The writes of one authorization facet (a deauthorization or a re-authorization) of an account: the
 * DEAUTHORIZATION record in its profile partition (what `accounts show` reads), a copy in each write shard
 * (AUTHORIZATION_GUARD, what the deauthorization guard checks, so the guard of a busy account's events is spread
 * like its writes), and the account's record in the reconciler's directory (so deauthorized accounts are skipped).
 */
export const authorizationWrites = (options: {
  readonly event: Stripe.Event;
  readonly account: string;
  readonly facet: string;
  readonly set: Record<string, unknown>;
}): StateWrite[] => {
  const { event, account, facet, set } = options;
  const livemode = event.livemode;
  const targets = [
    { partition: partitionOf({ account, livemode }), item: RecordKey.deauthorization },
    ...Array.from({ length: WRITE_SHARDS }, (_, shard) => ({ partition: shardPartitionOf({ account, livemode, shard }), item: RecordKey.authorizationGuard })),
    { partition: scopeDirectoryPartitionOf(livemode), item: account },
  ];
  return targets.map(({ partition, item }) => stateWrite({ event, account, item, partition, facet, set }));
};

/**
 * The projection of an authorization event of a connected account: its facet's writes, and `outcome` under
 * `outcomeKey`. A platform event without `account` has no account to authorize and is skipped.
 */
export const projectAuthorization = (options: {
  readonly event: Stripe.Event;
  readonly account: string | undefined;
  readonly facet: string;
  readonly set: Record<string, unknown>;
  readonly outcomeKey: string;
}): HandlerResult => {
  const { account } = options;
  if (account === undefined) return { outcome: { skipped: 'platform event without a connected account' } };
  return { writes: authorizationWrites({ ...options, account }), outcome: { [options.outcomeKey]: account } };
};
