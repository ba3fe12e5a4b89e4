/**
 * Partition load: the write units each state-table partition key takes in one second at 1,000 events/s, for a
 * realistic mix, computed from the real projections' writes and the worker's deauthorization guard (not timed,
 * no emulator). Compared with DynamoDB's limit of 1,000 WCU/s per partition key, and with the layout before write
 * shards (every record and the guard in the account's, or the platform's, one partition).
 *
 * Write units per item: DynamoDB bills a transactional write 2 WCU per KB (rounded up) of the item; the guard's
 * ConditionCheck counts as a transactional write of its (small) item. Item size is estimated from the attribute
 * names and JSON of the values written. The ledger is keyed by event id, so its writes spread evenly and are
 * left out.
 */
import { connectProjections } from '../functions/core/handlers';
import { createHandlerRegistry } from '../functions/core/handler-registry';
import type { Logger } from '../functions/core/ports';
import { guardsFor } from '../functions/core/process-event';
import type { StateWrite } from '../functions/core/state/state-write';
import { parseDelivery } from '../functions/core/delivery';
import { template } from './lib/payloads';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const TEMPLATE_ACCOUNT = 'acct_1PgafTB7WZ01zgkW';
export const PARTITION_LIMIT_WCU = 1000;

/** A deterministic generator (mulberry32), so every run computes the same mix. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** One kind of event in the mix: its share, its template and whether it carries the connected account. */
interface EventKind {
  readonly name: string;
  readonly share: number;
  readonly template: string;
  /** Connect event (top-level `account`), or a platform event (no `account`; a destination charge names one inside). */
  readonly connect: boolean;
}

const withoutAccount = (body: string) => JSON.stringify({ ...(JSON.parse(body) as Record<string, unknown>), account: undefined });
const withoutDestination = (body: string) => {
  const event = JSON.parse(withoutAccount(body)) as { data: { object: Record<string, unknown> } };
  event.data.object.transfer_data = null;
  event.data.object.on_behalf_of = null;
  return JSON.stringify(event);
};

/** 25 % platform events (destination charges, platform charges, payouts, balance), 75 % connected-account events. */
const MIX: readonly EventKind[] = [
  { name: 'destination charge', share: 0.15, template: withoutAccount(template('payment_intent.succeeded.destination')), connect: false },
  { name: 'platform charge', share: 0.03, template: withoutDestination(template('payment_intent.succeeded.destination')), connect: false },
  { name: 'platform payout', share: 0.02, template: withoutAccount(template('payout.failed')), connect: false },
  { name: 'platform balance', share: 0.05, template: withoutAccount(template('balance.available')), connect: false },
  { name: 'direct charge', share: 0.375, template: template('payment_intent.succeeded.direct'), connect: true },
  { name: 'balance', share: 0.15, template: template('balance.available'), connect: true },
  { name: 'account.updated', share: 0.075, template: template('account.updated'), connect: true },
  { name: 'payout', share: 0.075, template: template('payout.failed'), connect: true },
  { name: 'person.updated', share: 0.075, template: template('person.updated'), connect: true },
];

/** How accounts are chosen: `hotShare` of the events on the first `hotAccounts` accounts, the rest on the others. */
export interface Skew {
  readonly label: string;
  readonly accounts: number;
  readonly hotAccounts: number;
  readonly hotShare: number;
}

const itemWcu = (write: StateWrite): number => {
  const attributes = { pk: write.partition, sk: write.item, ...write.set, ...(write.setOnce ?? {}), [`${write.facet}Version`]: write.version };
  const bytes = Object.entries(attributes).reduce((sum, [name, value]) => sum + name.length + JSON.stringify(value ?? null).length, 0);
  return 2 * Math.max(1, Math.ceil(bytes / 1024));
};

/** The partition a key had before write shards: the account's (or platform's) one partition. */
const unshardedOf = (partition: string) => partition.replace(/#S\d+$/, '');

/** What one second of the mix does to the busiest partition key, in both layouts. */
export interface PartitionLoad {
  readonly skew: string;
  readonly eventsPerSecond: number;
  readonly platformShare: number;
  readonly totalWcu: number;
  readonly sharded: { readonly partition: string; readonly wcu: number; readonly share: number };
  readonly unsharded: { readonly partition: string; readonly wcu: number; readonly share: number };
}

const busiest = (load: Map<string, number>, total: number) => {
  const [partition, wcu] = [...load.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  return { partition: partition.replace(/acct_[A-Za-z0-9]+/, 'acct_…'), wcu, share: wcu / total };
};

/** Runs one second of `eventsPerSecond` events of the mix through the projections and the guard rule. */
export const measurePartitionLoad = async (options: { readonly eventsPerSecond: number; readonly skew: Skew; readonly seed?: number }): Promise<PartitionLoad> => {
  const registry = createHandlerRegistry({ projections: connectProjections });
  const next = random(options.seed ?? 42);
  const sharded = new Map<string, number>();
  const unsharded = new Map<string, number>();
  const add = (partition: string, wcu: number) => {
    sharded.set(partition, (sharded.get(partition) ?? 0) + wcu);
    unsharded.set(unshardedOf(partition), (unsharded.get(unshardedOf(partition)) ?? 0) + wcu);
  };
  const pickAccount = () => {
    const { accounts, hotAccounts, hotShare } = options.skew;
    const index = next() < hotShare ? Math.floor(next() * hotAccounts) : hotAccounts + Math.floor(next() * (accounts - hotAccounts));
    return `acct_benchLoad${index}`;
  };
  let total = 0;
  let platform = 0;
  for (let index = 0; index < options.eventsPerSecond; index += 1) {
    let roll = next();
    const kind = MIX.find((candidate) => (roll -= candidate.share) < 0) ?? MIX[MIX.length - 1]!;
    const account = pickAccount();
    const body = kind.template.split(TEMPLATE_ACCOUNT).join(account).replace(/"id":\s*"evt_[^"]+"/, `"id": "evt_load${index}"`).replace(/"(pi|po)_[A-Za-z0-9]+"/g, `"$1_load${index}"`);
    const parsed = parseDelivery(body);
    if (parsed.kind !== 'snapshot') throw new Error('the load templates are v1 events');
    if (parsed.envelope.account === undefined) platform += 1;
    const writes: StateWrite[] = [];
    for (const handler of registry.find(parsed.envelope.type).projections) {
      const result = await handler({ event: parsed.event, account: parsed.envelope.account, idempotencyKey: parsed.envelope.id, logger: silent, stripe: undefined as never });
      writes.push(...(result.writes ?? []));
    }
    for (const write of writes) add(write.partition, itemWcu(write));
    for (const guard of guardsFor(parsed)) add(guard.partition, 2);
    total += writes.reduce((sum, write) => sum + itemWcu(write), 0) + guardsFor(parsed).length * 2;
  }
  return {
    skew: options.skew.label,
    eventsPerSecond: options.eventsPerSecond,
    platformShare: platform / options.eventsPerSecond,
    totalWcu: total,
    sharded: busiest(sharded, total),
    unsharded: busiest(unsharded, total),
  };
};

/** The mix (80 % of account events on 5 % of 3,000 accounts) and the product brief's extreme (one seller with 80 %). */
export const PARTITION_SKEWS: readonly Skew[] = [
  { label: '80 % of account events on 5 % of 3,000 accounts', accounts: 3000, hotAccounts: 150, hotShare: 0.8 },
  { label: '80 % of account events on one seller', accounts: 3000, hotAccounts: 1, hotShare: 0.8 },
];
