import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { GetCommandInput, PutCommandInput, QueryCommandInput, ScanCommandInput, TransactWriteCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AwsJsonClient } from './aws-json-client';

/** An item or key with native JavaScript values. */
export type NativeItem = Record<string, unknown>;

/** What a read of many items answers, unmarshalled. */
export interface DocumentPage {
  readonly Items?: NativeItem[];
  readonly LastEvaluatedKey?: NativeItem;
}

/**
 * The DynamoDB calls the adapters make, with native values in and out as `@aws-sdk/lib-dynamodb`'s document client
 * takes them (its input types are reused), over the small signed JSON client instead of the SDK. Errors are the
 * JSON client's `AwsServiceError`s: `name` is DynamoDB's error type and `body` keeps, as with the SDK, the raw
 * (marshalled, binaries as base64 text) `Item`, which `itemFromWire` reads, or `CancellationReasons`.
 */
export interface DynamoDbDocumentClient {
  get(input: GetCommandInput): Promise<{ readonly Item?: NativeItem }>;
  put(input: PutCommandInput): Promise<{ readonly Attributes?: NativeItem }>;
  update(input: UpdateCommandInput): Promise<{ readonly Attributes?: NativeItem }>;
  query(input: QueryCommandInput): Promise<DocumentPage>;
  scan(input: ScanCommandInput): Promise<DocumentPage>;
  transactWrite(input: TransactWriteCommandInput): Promise<void>;
}

// As the document client the project used before: undefined attributes are dropped, class instances refused.
const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: false } as const;
type Binary = Uint8Array | string;
type WireItem = Record<string, AttributeValue>;

const convertValue = (value: AttributeValue, convert: (binary: Binary) => Binary): AttributeValue => {
  if (value.B !== undefined) return { B: convert(value.B) as Uint8Array };
  if (value.BS !== undefined) return { BS: value.BS.map(convert) as Uint8Array[] };
  if (value.L !== undefined) return { L: value.L.map((entry) => convertValue(entry, convert)) };
  if (value.M !== undefined) return { M: convertBinaries(value.M, convert) };
  return value;
};

/** The item with every binary value, however deeply nested, converted. */
const convertBinaries = (item: WireItem, convert: (binary: Binary) => Binary): WireItem =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, convertValue(value, convert)]));

// The JSON protocol carries binaries as base64 text (the SDK's serializer converts them); marshall makes bytes, and
// JSON.stringify would turn bytes into an object of indexes, which DynamoDB refuses.
const toText = (binary: Binary): Binary => (typeof binary === 'string' ? binary : Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString('base64'));
const toBytes = (binary: Binary): Binary => {
  if (typeof binary !== 'string') return binary;
  const bytes = Buffer.from(binary, 'base64');
  // A plain Uint8Array, as the SDK returns binaries.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};

const toWire = (value: NativeItem): WireItem => convertBinaries(marshall(value, MARSHALL_OPTIONS), toText);
/**
 * An item as DynamoDB's JSON protocol carries it, with native values: what the client's outputs hold, and what an
 * adapter reads from an error document's `Item` (binaries come back as bytes there too).
 */
export const itemFromWire = (value: unknown): NativeItem | undefined => (value === undefined || value === null ? undefined : unmarshall(convertBinaries(value as WireItem, toBytes)));

/** Marshals the native-valued members of a request: keys, items and expression values. */
const marshallMembers = (input: object): Record<string, unknown> => {
  const wire: Record<string, unknown> = { ...input };
  for (const member of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const) {
    const value = wire[member];
    if (value !== undefined) wire[member] = toWire(value as NativeItem);
  }
  return wire;
};

const transactItemToWire = (item: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item).map(([kind, request]) => [kind, request === undefined ? undefined : marshallMembers(request as object)]));

const page = (output: Record<string, unknown>): DocumentPage => {
  const lastKey = itemFromWire(output.LastEvaluatedKey);
  return {
    Items: ((output.Items as unknown[] | undefined) ?? []).map((item) => itemFromWire(item) as NativeItem),
    ...(lastKey === undefined ? {} : { LastEvaluatedKey: lastKey }),
  };
};

const single = <Member extends 'Item' | 'Attributes'>(member: Member, output: Record<string, unknown>): { [key in Member]?: NativeItem } => {
  const value = itemFromWire(output[member]);
  return (value === undefined ? {} : { [member]: value }) as { [key in Member]?: NativeItem };
};

/** A document client over a JSON client bound to DynamoDB. */
export const createDynamoDbDocumentClient = (json: AwsJsonClient): DynamoDbDocumentClient => ({
  get: async (input) => single('Item', await json.call('GetItem', marshallMembers(input))),
  put: async (input) => single('Attributes', await json.call('PutItem', marshallMembers(input))),
  update: async (input) => single('Attributes', await json.call('UpdateItem', marshallMembers(input))),
  query: async (input) => page(await json.call('Query', marshallMembers(input))),
  scan: async (input) => page(await json.call('Scan', marshallMembers(input))),
  transactWrite: async (input) => {
    await json.call('TransactWriteItems', { ...input, TransactItems: (input.TransactItems ?? []).map(transactItemToWire) });
  },
});
