import { createHmac, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { LedgerStatus } from '../../functions/core/ledger-record';
import { SQS_MAX_MESSAGE_BYTES } from '../../functions/adapters/sqs-event-queue';
import { HTTP_API_MAX_BODY_BYTES } from '../../local/http-api-server';
import { makeEvent, nowSeconds, signPayload, signatureOf, stripeId } from '../support/event-factory';
import { createRecordingLogger } from '../support/fakes';
import { sendRaw } from '../support/raw-http';
import type { RawRequest } from '../support/raw-http';
import { eventually, ownAccountEvent, postWebhook, sleep, startReliabilityPipeline, useCleanup } from './harness';

jest.setTimeout(90_000);

/** The ingest's log `code` of a refusal (README, "Refusals"). */
const Code = {
  noMatch: 'signature.no_matching_signature',
  stale: 'signature.timestamp_outside_tolerance',
  malformed: 'signature.malformed_header',
  missing: 'signature.missing_header',
  empty: 'signature.empty_payload',
  invalid: 'event.invalid',
  tooLarge: 'request.too_large',
  notFound: 'request.not_found',
  method: 'request.method_not_allowed',
  /** Refused by the HTTP layer before the ingest runs (API Gateway's or Node's own limits): no ingest log line. */
  none: undefined,
} as const;
type Code = (typeof Code)[keyof typeof Code];

/** One refused request: what is sent, the status it must get and the reason the ingest must log. */
interface BadRequest {
  readonly name: string;
  readonly request: RawRequest;
  readonly status: 400 | 404 | 405 | 413 | 431;
  readonly code: Code;
}

const JSON_TYPE = ['content-type', 'application/json; charset=utf-8'] as const;
const hmac = (secret: string, timestamp: number, payload: string | Buffer): string =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');

/** An event body with extra bytes in a field the pipeline ignores, so that the whole body is `totalBytes` long. */
const paddedEventBody = (totalBytes: number, account: string): string => {
  const event = makeEvent({ id: stripeId('evt'), account, padding: '' });
  const base = Buffer.byteLength(JSON.stringify(event));
  return JSON.stringify({ ...event, padding: 'x'.repeat(totalBytes - base) });
};

/**
 * The corpus: forged and stale signatures, bodies changed after signing, oversized bodies, wrong routes and
 * methods, wrong encodings of a correctly signed body, malformed `Stripe-Signature` headers, and signed bodies
 * that are not v1 events.
 */
const corpus = (secrets: { readonly account: string; readonly connect: string }): BadRequest[] => {
  const secret = secrets.connect;
  const t = nowSeconds();
  const valid = ownAccountEvent();
  const body = valid.body;
  const header = signPayload({ payload: body, secret, timestamp: t });
  const v1 = signatureOf(header);
  const post = (name: string, code: Code, options: { body?: string | Buffer; header?: string | null; path?: string; headers?: Array<readonly [string, string]> }, status: BadRequest['status'] = 400): BadRequest => ({
    name,
    status,
    code,
    request: {
      method: 'POST',
      path: options.path ?? '/webhooks/connect',
      headers: [JSON_TYPE, ...(options.header === null ? [] : [['stripe-signature', options.header ?? header] as const]), ...(options.headers ?? [])],
      body: options.body ?? body,
    },
  });
  const signed = (payload: string, name: string, code: Code, status: BadRequest['status'] = 400): BadRequest =>
    post(name, code, { body: payload, header: signPayload({ payload, secret, timestamp: t }) }, status);
  const method = (verb: string, path: string): BadRequest => ({ name: `${verb} ${path}`, status: 405, code: Code.method, request: { method: verb, path, headers: [JSON_TYPE, ['stripe-signature', header]], ...(verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS' ? {} : { body }) } });
  const accented = JSON.stringify({ ...makeEvent({ id: stripeId('evt'), account: valid.account }), note: 'Café Zoë, Ñandú & Søn — 東京' }, null, 2);
  const accentedHeader = signPayload({ payload: accented, secret, timestamp: t });
  const utf16be = Buffer.from(body, 'utf16le').swap16();
  const platformEvent = JSON.stringify(makeEvent({ id: stripeId('evt'), account: undefined }), null, 2);
  const thin = JSON.stringify({ id: stripeId('evt'), object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', livemode: false, created: new Date().toISOString(), related_object: { id: 'mtr_123', type: 'billing.meter', url: '/v1/billing/meters/mtr_123' } });
  const overSqs = paddedEventBody(SQS_MAX_MESSAGE_BYTES + 1, valid.account);
  // The body alone fits in a message; with the message attributes it does not.
  const overWithAttributes = paddedEventBody(SQS_MAX_MESSAGE_BYTES - 40, valid.account);
  const forgedMany = Array.from({ length: 120 }, () => `v1=${randomBytes(32).toString('hex')}`).join(',');
  return [
    // Signatures
    post('forged v1 signature', Code.noMatch, { header: `t=${t},v1=${randomBytes(32).toString('hex')}` }),
    post('signed with an unknown secret', Code.noMatch, { header: signPayload({ payload: body, secret: `whsec_${randomBytes(16).toString('hex')}` }) }),
    post("signed with the account endpoint's secret", Code.noMatch, { header: signPayload({ payload: body, secret: secrets.account }) }),
    post('Connect-signed event on the account route', Code.noMatch, { path: '/webhooks/account' }),
    post('stale timestamp (400 s old)', Code.stale, { header: signPayload({ payload: body, secret, timestamp: t - 400 }) }),
    post('timestamp from 2001', Code.stale, { header: signPayload({ payload: body, secret, timestamp: 1_000_000_000 }) }),
    post('timestamp changed after signing', Code.noMatch, { header: `t=${t - 1},v1=${v1}` }),
    post('signature truncated to half', Code.noMatch, { header: `t=${t},v1=${v1.slice(0, 32)}` }),
    post('signature upper-cased', Code.noMatch, { header: `t=${t},v1=${v1.toUpperCase()}` }),
    post("another event's valid signature", Code.noMatch, { header: signPayload({ payload: ownAccountEvent().body, secret, timestamp: t }) }),
    // The body changed after signing
    post('body truncated to half', Code.noMatch, { body: body.slice(0, Math.floor(body.length / 2)) }),
    post('body missing its last byte', Code.noMatch, { body: body.slice(0, -1) }),
    post('a value changed after signing', Code.noMatch, { body: body.replace('"country": "US"', '"country": "FR"') }),
    post('a newline appended after signing', Code.noMatch, { body: `${body}\n` }),
    post('re-serialised (minified) after signing', Code.noMatch, { body: JSON.stringify(JSON.parse(body)) }),
    post('a UTF-8 byte order mark prepended', Code.noMatch, { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]) }),
    // Oversized
    signed(overSqs, 'signed body 1 byte over SQS’s 1 MiB', Code.tooLarge, 413),
    signed(overWithAttributes, 'signed body under 1 MiB, over it with the message attributes', Code.tooLarge, 413),
    post('body over the HTTP API’s 10 MB', Code.none, { body: Buffer.alloc(HTTP_API_MAX_BODY_BYTES + 1, 0x20) }, 413),
    // Routes and methods
    signed(platformEvent, 'validly signed event without `account` on /webhooks/connect', Code.invalid),
    signed(JSON.stringify(makeEvent({ id: stripeId('evt'), account: 'acct with spaces' })), '`account` that is not an acct_ id', Code.invalid),
    post('unknown path /webhooks', Code.notFound, { path: '/webhooks' }, 404),
    post('unknown path /webhooks/connect/extra', Code.notFound, { path: '/webhooks/connect/extra' }, 404),
    post('misspelt path /webhook/connect', Code.notFound, { path: '/webhook/connect' }, 404),
    post('root path /', Code.notFound, { path: '/' }, 404),
    post('upper-case path /WEBHOOKS/CONNECT', Code.notFound, { path: '/WEBHOOKS/CONNECT' }, 404),
    post('encoded dot segment /webhooks/x/..%2Fconnect', Code.notFound, { path: '/webhooks/x/..%2Fconnect' }, 404),
    method('GET', '/webhooks/connect'),
    method('PUT', '/webhooks/connect'),
    method('DELETE', '/webhooks/connect'),
    method('PATCH', '/webhooks/account'),
    method('GET', '/webhooks/account'),
    method('OPTIONS', '/webhooks/connect'),
    method('HEAD', '/webhooks/connect'),
    // Encodings of a correctly signed body
    post('base64-encoded body where the raw body was signed', Code.noMatch, { body: Buffer.from(body).toString('base64') }),
    post('raw body where its base64 text was signed', Code.noMatch, { header: signPayload({ payload: Buffer.from(body).toString('base64'), secret, timestamp: t }) }),
    post('latin1 re-encoding of a UTF-8 signed body', Code.noMatch, { body: Buffer.from(accented, 'latin1'), header: accentedHeader }),
    post('UTF-16LE encoding of the signed body', Code.noMatch, { body: Buffer.from(body, 'utf16le') }),
    post('UTF-16BE with a byte order mark', Code.noMatch, { body: Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]) }),
    post('gzip-compressed body (Content-Encoding: gzip)', Code.noMatch, { body: gzipSync(Buffer.from(body)), headers: [['content-encoding', 'gzip']] }),
    // Stripe-Signature header variants
    post('no Stripe-Signature header', Code.missing, { header: null }),
    post('empty Stripe-Signature header', Code.missing, { header: '' }),
    post('Stripe-Signature of spaces only', Code.missing, { header: '   ' }),
    post('the signature under another header name', Code.missing, { header: null, headers: [['x-stripe-signature', header]] }),
    post('duplicated t= (the last one wrong)', Code.noMatch, { header: `t=${t},t=${t + 7},v1=${v1}` }),
    post('two Stripe-Signature lines, the second a stale t=', Code.noMatch, { headers: [['stripe-signature', `t=${t - 1000}`]] }),
    post('t= only, no v1', Code.malformed, { header: `t=${t}` }),
    post('v0 only (a valid HMAC under the wrong scheme)', Code.malformed, { header: `t=${t},v0=${hmac(secret, t, body)}` }),
    post('v1 only, no t=', Code.malformed, { header: `v1=${v1}` }),
    post('t= that is not a number', Code.noMatch, { header: `t=now,v1=${v1}` }),
    post('spaces after the commas', Code.malformed, { header: `t=${t}, v1=${v1}` }),
    post('spaces inside the signature', Code.noMatch, { header: `t=${t},v1=${v1.slice(0, 20)} ${v1.slice(20)}` }),
    post('upper-case keys T= and V1=', Code.malformed, { header: `T=${t},V1=${v1}` }),
    post('garbage header', Code.malformed, { header: 'garbage' }),
    post('JSON instead of a header', Code.malformed, { header: JSON.stringify({ t, v1 }) }),
    post('very long header: 120 forged v1 entries (8 KB)', Code.noMatch, { header: `t=${t},${forgedMany}` }),
    post('header bigger than the server reads (20 KB)', Code.none, { header: `t=${t},v1=${'0'.repeat(20_000)}` }, 431),
    // Signed, but not a v1 event
    signed('hello, this is not JSON', 'signed non-JSON body', Code.invalid),
    signed(JSON.stringify([JSON.parse(body)]), 'signed JSON array', Code.invalid),
    signed(thin, 'signed thin (v2) event notification', Code.invalid),
    signed('', 'empty body with a signature of the empty string', Code.empty),
    post('empty body, no header', Code.missing, { body: '', header: null }),
    signed('null', 'signed JSON null', Code.invalid),
    signed(JSON.stringify(makeEvent({ id: stripeId('evt'), account: valid.account, object: 'account' })), 'signed object that is not an event', Code.invalid),
    signed(JSON.stringify(makeEvent({ id: stripeId('ch'), account: valid.account })), 'signed event with a non-evt_ id', Code.invalid),
    signed(JSON.stringify(makeEvent({ id: stripeId('evt'), account: valid.account, data: {} })), 'signed event without data.object', Code.invalid),
    signed(JSON.stringify(makeEvent({ id: stripeId('evt'), account: valid.account, livemode: 'false' })), 'signed event with livemode as a string', Code.invalid),
    signed(JSON.stringify(makeEvent({ id: stripeId('evt'), account: valid.account, created: String(t) })), 'signed event with created as a string', Code.invalid),
  ];
};

describe('a corpus of bad requests', () => {
  const cleanup = useCleanup();

  test('every one gets its 4xx, nothing is enqueued or recorded, and the server keeps serving', async () => {
    // Prepare: the ingest's log is recorded, so each refusal is checked for its reason, not only its status.
    const ingestLog = createRecordingLogger();
    const harness = await startReliabilityPipeline({ ingestLogger: ingestLog });
    cleanup.add('pipeline', () => harness.stop());
    const { resources } = harness.pipeline;
    const requests = corpus(harness.secrets);

    // Act: one at a time, each on its own connection; then a valid event.
    const answers: Array<{ name: string; status: number; codes: unknown[] }> = [];
    for (const { name, request } of requests) {
      const seen = ingestLog.lines.length;
      const { status } = await sendRaw(harness.pipeline.url, request);
      answers.push({ name, status, codes: ingestLog.lines.slice(seen).map((line) => (line.message === 'webhook refused' ? line.attributes?.code : `${line.level}: ${line.message}`)) });
    }
    await sleep(1500);
    const [queueDepth, deadLetters, ledger] = await Promise.all([harness.observe.depth(resources.queueUrl), harness.observe.depth(resources.deadLetterQueueUrl), harness.observe.ledger(resources.ledgerTableName)]);
    const good = ownAccountEvent();
    const accepted = await postWebhook(harness.pipeline.url, { body: good.body, header: signPayload({ payload: good.body, secret: harness.secrets.connect }) });
    await eventually(async () => (await harness.observe.ledger(resources.ledgerTableName)).some((row) => row.eventId === good.id && row.status === LedgerStatus.processed) || 'not yet', 'the valid event to be processed', 20_000);
    const health = await fetch(`${harness.pipeline.url}/health`);

    // Assess
    expect(requests.length).toBeGreaterThanOrEqual(40);
    expect(answers).toEqual(requests.map(({ name, status, code }) => ({ name, status, codes: code === undefined ? [] : [code] })));
    expect({ queueDepth, deadLetters, records: ledger.length }).toEqual({ queueDepth: 0, deadLetters: 0, records: 0 });
    expect(accepted.status).toBe(200);
    expect(health.status).toBe(200);
  });
});
