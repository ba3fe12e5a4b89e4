import { gunzipSync, gzipSync } from 'node:zlib';
import { MAX_STORED_PAYLOAD_BYTES } from '../core/ledger-record';
import type { LedgerRecord } from '../core/ledger-record';

/** The ledger attribute holding the gzip-compressed raw payload (binary). */
export const PAYLOAD_ATTRIBUTE = 'payload';

/** The attributes that keep a raw payload in a ledger item, compressed, or say why it is not kept. */
export const packPayload = (payload: string | undefined): Record<string, unknown> => {
  if (payload === undefined) return {};
  const compressed = gzipSync(Buffer.from(payload, 'utf8'));
  const payloadBytes = Buffer.byteLength(payload);
  return compressed.length <= MAX_STORED_PAYLOAD_BYTES
    ? { [PAYLOAD_ATTRIBUTE]: new Uint8Array(compressed), payloadStored: true, payloadBytes }
    : { payloadStored: false, payloadBytes };
};

/** The raw payload of a ledger item, or undefined when none was kept. */
export const unpackPayload = (item: Record<string, unknown> | undefined): string | undefined => {
  const value = item?.[PAYLOAD_ATTRIBUTE];
  return value instanceof Uint8Array ? gunzipSync(value).toString('utf8') : undefined;
};

/** A ledger item as a record: the compressed payload stays in the table. */
export const toLedgerRecord = (item: Record<string, unknown>): LedgerRecord => {
  const { [PAYLOAD_ATTRIBUTE]: _payload, ...record } = item;
  return record as unknown as LedgerRecord;
};
