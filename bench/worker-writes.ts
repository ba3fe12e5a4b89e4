/**
 * Worker: DynamoDB requests and write units per event, counted (not timed) against DynamoDB Local, for a first
 * delivery and for a duplicate of a single-record event (`balance.available` of a connected account), through the
 * real worker use case (createEventProcessor with the DynamoDB adapters and the worker's registry).
 *
 * A middleware on the DynamoDB client under the document client counts every command and asks for
 * `ReturnConsumedCapacity: TOTAL` on each (it edits the serialized request, already marshalled). DynamoDB Local reports capacity for
 * successful writes, but not for a write whose condition failed, and it counts a transaction's ConditionCheck as
 * zero; so next to what it reports, write units are also computed from item sizes with DynamoDB's billing rules.
 */
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../functions/adapters/aws-clients';
import { createDocumentClient } from '../functions/adapters/dynamodb-documents';
import { ledgerPolicyFromEnv } from '../functions/adapters/config';
import { createDynamoDbAccountState } from '../functions/adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../functions/adapters/dynamodb-event-ledger';
import type { Logger } from '../functions/core/ports';
import { RecordOutcome, createEventProcessor } from '../functions/core/process-event';
import { defaultRegistry } from '../functions/worker/create-handler';
import { ensureLedgerTable, ensureStateTable } from '../local/resources';
import { eventFactory, template } from './lib/payloads';
import { round } from './lib/stats';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

type Item = Record<string, AttributeValue>;

/** DynamoDB's item size: attribute names plus values (strings and binaries by bytes, numbers ~1 byte per 2 digits + 1, 3 bytes + 1 per element for lists and maps). */
export const itemBytes = (item: Item): number => Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);

const numberBytes = (text: string): number => {
  const digits = text.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
};

const valueBytes = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  // Binary values are base64 text in a serialized request, bytes in a deserialized response.
  if (value.B !== undefined) return typeof (value.B as unknown) === 'string' ? Buffer.from(value.B as unknown as string, 'base64').length : value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, entry) => sum + numberBytes(entry), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, entry) => sum + (typeof (entry as unknown) === 'string' ? Buffer.from(entry as unknown as string, 'base64').length : entry.length), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueBytes(entry), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [name, entry]) => sum + 1 + Buffer.byteLength(name) + valueBytes(entry), 0);
  return 0;
};

const KB = 1024;
const units = (bytes: number, unit = KB): number => Math.max(1, Math.ceil(bytes / unit));

/** One DynamoDB request the worker made, with what it cost. */
export interface CountedRequest {
  readonly operation: string;
  readonly ok: boolean;
  /** Capacity DynamoDB Local reported (undefined when it reported none, e.g. a failed condition). */
  readonly reportedCapacity?: number;
  /** Write units on DynamoDB from the item sizes before and after the request. */
  readonly computedWcu: number;
  /** Read units on DynamoDB (consistent reads: 1 per 4 KB). */
  readonly computedRcu: number;
  /** The computed write units split by table. */
  readonly computedWcuByTable: Readonly<Record<string, number>>;
}

interface Target {
  readonly table: string;
  readonly key: Item;
  readonly action: 'write' | 'check' | 'read';
  /** For a Put: the size of the item it writes. */
  readonly newBytes?: number;
  readonly transactional: boolean;
}

interface RawBody {
  TableName?: string;
  Item?: Item;
  Key?: Item;
  ConsistentRead?: boolean;
  TransactItems?: Array<Record<string, RawBody>>;
  ReturnConsumedCapacity?: string;
}

const capacityOf = (output: unknown): number | undefined => {
  const consumed = (output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> } | undefined)?.ConsumedCapacity;
  if (consumed === undefined) return undefined;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
};

/** Write and read units of one request, from the sizes of its items before and after it. */
const billed = (options: { readonly targets: readonly Target[]; readonly before: readonly number[]; readonly after: readonly number[]; readonly ok: boolean }) => {
  let computedWcu = 0;
  let computedRcu = 0;
  const computedWcuByTable: Record<string, number> = {};
  options.targets.forEach((target, index) => {
    const largest = Math.max(options.before[index] ?? 0, options.ok ? (options.after[index] ?? 0) : (target.newBytes ?? 0));
    if (target.action === 'read') {
      computedRcu += units(largest, 4 * KB);
      return;
    }
    // A write whose condition fails is billed too, by the larger of the stored and the new item (at least 1);
    // in a transaction every action, a ConditionCheck included, costs twice.
    const wcu = units(largest) * (target.transactional ? 2 : 1);
    computedWcu += wcu;
    computedWcuByTable[target.table] = (computedWcuByTable[target.table] ?? 0) + wcu;
  });
  return { computedWcu, computedRcu, computedWcuByTable };
};

/**
 * Instruments a DynamoDB client: counts each command (one per `send`, its retries included), asks DynamoDB for
 * consumed capacity, and computes billed units from item sizes read, uncounted, by a separate client.
 */
const instrument = (options: { readonly client: DynamoDBClient; readonly raw: DynamoDBClient; readonly requests: CountedRequest[] }): void => {
  const keyNames = new Map<string, string[]>();
  const keyOf = async (table: string, item: Item): Promise<Item> => {
    let names = keyNames.get(table);
    if (names === undefined) {
      const described = await options.raw.send(new DescribeTableCommand({ TableName: table }));
      names = (described.Table?.KeySchema ?? []).flatMap((key) => (key.AttributeName === undefined ? [] : [key.AttributeName]));
      keyNames.set(table, names);
    }
    return Object.fromEntries(names.map((name) => [name, item[name] as AttributeValue]));
  };
  const sizeNow = async (target: Target): Promise<number> => {
    const found = await options.raw.send(new GetItemCommand({ TableName: target.table, Key: target.key, ConsistentRead: true }));
    return found.Item === undefined ? 0 : itemBytes(found.Item);
  };
  const targetsOf = async (operation: string, body: RawBody, transactional = false): Promise<Target[]> => {
    const table = body.TableName ?? '';
    switch (operation) {
      case 'PutItem':
        return [{ table, key: await keyOf(table, body.Item ?? {}), action: 'write', newBytes: itemBytes(body.Item ?? {}), transactional }];
      case 'UpdateItem':
      case 'DeleteItem':
        return [{ table, key: body.Key ?? {}, action: 'write', transactional }];
      case 'ConditionCheck':
        return [{ table, key: body.Key ?? {}, action: 'check', transactional }];
      case 'GetItem':
        return [{ table, key: body.Key ?? {}, action: 'read', transactional }];
      case 'TransactWriteItems': {
        const nested = await Promise.all(
          (body.TransactItems ?? []).map(async (entry) => {
            const [kind, inner] = Object.entries(entry)[0] ?? [];
            const name = kind === 'Put' ? 'PutItem' : kind === 'Update' ? 'UpdateItem' : kind === 'Delete' ? 'DeleteItem' : 'ConditionCheck';
            return inner === undefined ? [] : targetsOf(name, inner, true);
          }),
        );
        return nested.flat();
      }
      default:
        throw new Error(`the worker benchmark does not know how to bill ${operation}`);
    }
  };
  options.client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: unknown };
      const targetHeader = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1] ?? '';
      const operation = targetHeader.split('.')[1] ?? String(context.commandName ?? 'unknown');
      // The serialized JSON body, binaries as base64 text, as it goes on the wire: text, or bytes; written back alike.
      const bytes = request.body instanceof Uint8Array;
      const view = request.body as Uint8Array;
      const body = JSON.parse(bytes ? Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8') : String(request.body ?? '{}')) as RawBody;
      body.ReturnConsumedCapacity = 'TOTAL';
      const text = JSON.stringify(body);
      request.body = bytes ? new Uint8Array(Buffer.from(text, 'utf8')) : text;
      for (const name of Object.keys(request.headers)) {
        if (name.toLowerCase() === 'content-length') request.headers[name] = String(Buffer.byteLength(text));
      }
      const targets = await targetsOf(operation, body);
      const before = await Promise.all(targets.map(sizeNow));
      let ok = false;
      let output: unknown;
      try {
        const result = await next(args);
        ok = true;
        output = result.output;
        return result;
      } finally {
        const after = await Promise.all(targets.map(sizeNow));
        const reportedCapacity = capacityOf(output);
        options.requests.push({ operation, ok, ...(reportedCapacity === undefined ? {} : { reportedCapacity }), ...billed({ targets, before, after, ok }) });
      }
    },
    // After serialization, before the retry step: one count per command.
    { step: 'build', priority: 'high', name: 'benchCountRequests' },
  );
};

/** Per-delivery figures (averaged over the deliveries measured; every one should be alike). */
export interface DeliveryFigures {
  readonly requests: number;
  readonly operations: readonly string[];
  /** The first delivery's requests one by one. */
  readonly perOperation: readonly CountedRequest[];
  /** What DynamoDB Local reported, summed. */
  readonly localReportedCapacity: number;
  /** Write units on DynamoDB, from item sizes. */
  readonly computedWcu: number;
  readonly computedRcu: number;
  /** Computed write units on the ledger table and on the Connect state table. */
  readonly computedWcuLedger: number;
  readonly computedWcuState: number;
}

export interface WorkerWritesResult {
  readonly eventType: string;
  readonly events: number;
  readonly payloadBytes: number;
  readonly ledgerItemBytes: number;
  readonly firstDelivery: DeliveryFigures;
  readonly duplicate: DeliveryFigures;
  readonly targets: { readonly firstDeliveryRequests: number; readonly duplicateRequests: number };
  readonly note: string;
}

const figuresOf = (deliveries: ReadonlyArray<readonly CountedRequest[]>, tables: { readonly ledger: string; readonly state: string }): DeliveryFigures => {
  const average = (pick: (requests: readonly CountedRequest[]) => number) => round(deliveries.reduce((sum, requests) => sum + pick(requests), 0) / deliveries.length, 2);
  const first = deliveries[0] ?? [];
  for (const requests of deliveries) {
    if (requests.map((request) => request.operation).join() !== first.map((request) => request.operation).join()) {
      throw new Error(`deliveries differ: ${first.map((r) => r.operation).join('+')} vs ${requests.map((r) => r.operation).join('+')}`);
    }
  }
  return {
    requests: average((requests) => requests.length),
    operations: first.map((request) => `${request.operation}${request.ok ? '' : ' (condition failed)'}`),
    perOperation: first.map((request) => ({ ...request })),
    localReportedCapacity: average((requests) => requests.reduce((sum, request) => sum + (request.reportedCapacity ?? 0), 0)),
    computedWcu: average((requests) => requests.reduce((sum, request) => sum + request.computedWcu, 0)),
    computedRcu: average((requests) => requests.reduce((sum, request) => sum + request.computedRcu, 0)),
    computedWcuLedger: average((requests) => requests.reduce((sum, request) => sum + (request.computedWcuByTable[tables.ledger] ?? 0), 0)),
    computedWcuState: average((requests) => requests.reduce((sum, request) => sum + (request.computedWcuByTable[tables.state] ?? 0), 0)),
  };
};

/** Needs the SDK pointed at DynamoDB Local (useEmulatorEndpoints) first. */
export const measureWorkerWrites = async (options: { readonly events: number; readonly eventType: string }): Promise<WorkerWritesResult> => {
  const raw = new DynamoDBClient({});
  const ledgerTable = 'bench-worker-ledger';
  const stateTable = 'bench-worker-state';
  await Promise.all([ensureLedgerTable(raw, ledgerTable), ensureStateTable(raw, stateTable)]);
  const requests: CountedRequest[] = [];
  // As the worker's client, maxAttempts included, with the counting wrapper under the document client.
  const dynamoDb = createDynamoDbClient();
  instrument({ client: dynamoDb, raw, requests });
  const client = createDocumentClient({ client: dynamoDb });
  const processRecord = createEventProcessor({
    ledger: createDynamoDbEventLedger({ client, tableName: ledgerTable, stateTableName: stateTable, policy: ledgerPolicyFromEnv({}) }),
    state: createDynamoDbAccountState({ client, tableName: stateTable }),
    registry: defaultRegistry(),
    acceptedModes: 'both',
    stripeFor: () => {
      throw new Error('the benchmark event needs no Stripe client');
    },
    clock: Date.now,
    logger: silent,
  });
  const { eventType } = options;
  const next = eventFactory({ template: template(eventType), prefix: `worker${Date.now()}x` });
  const firsts: CountedRequest[][] = [];
  const duplicates: CountedRequest[][] = [];
  let payloadBytes = 0;
  let ledgerItemBytes = 0;
  try {
    for (let index = 0; index < options.events; index += 1) {
      const event = next();
      payloadBytes = Buffer.byteLength(event.body);
      const deliver = async (what: string, expected: RecordOutcome, into: CountedRequest[][]) => {
        const from = requests.length;
        const outcome = await processRecord({ messageId: `m-${what}-${index}`, body: event.body, receiveCount: 1 });
        if (outcome !== expected) throw new Error(`${what} of ${event.id}: expected ${expected}, got ${outcome}`);
        into.push(requests.slice(from));
      };
      await deliver('first delivery', RecordOutcome.processed, firsts);
      await deliver('duplicate', RecordOutcome.duplicate, duplicates);
      const stored = await raw.send(new GetItemCommand({ TableName: ledgerTable, Key: { eventId: { S: event.id } }, ConsistentRead: true }));
      ledgerItemBytes = stored.Item === undefined ? 0 : itemBytes(stored.Item);
    }
  } finally {
    raw.destroy();
  }
  return {
    eventType,
    events: options.events,
    payloadBytes,
    ledgerItemBytes,
    firstDelivery: figuresOf(firsts, { ledger: ledgerTable, state: stateTable }),
    duplicate: figuresOf(duplicates, { ledger: ledgerTable, state: stateTable }),
    // The targets are set for a single-record event.
    targets: { firstDeliveryRequests: 2, duplicateRequests: 1 },
    note:
      'Requests are DynamoDB API calls (one per call, retries included in it). DynamoDB Local reports no capacity for a write whose condition failed and counts a ' +
      "transaction's ConditionCheck as 0, so WCUs are also computed from item sizes: 1 per KB written (the larger of the item before and " +
      'after), at least 1 per item, ×2 for every action of a transaction including a ConditionCheck, and a failed conditional write billed by ' +
      'the larger of the stored and the new item.',
  };
};
