import fc from 'fast-check';
import { decodeBody, toWebhookRequest } from '../../functions/ingest/http-mapping';
import { apiGatewayEvent } from '../support/event-factory';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** What the ingest did before it kept text bodies as strings: encode to UTF-8, then decode. */
const viaBuffer = (bytes: Buffer): { text: string; bytes: number } => ({ text: bytes.toString('utf8'), bytes: bytes.length });

describe('decodeBody', () => {
  test('a text body is the same text and byte count as a round trip through a UTF-8 Buffer, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), maxLength: 4 }), (text, surrogates) => {
        const body = text + surrogates + text;

        expect(decodeBody({ body, isBase64Encoded: false })).toEqual(viaBuffer(Buffer.from(body, 'utf8')));
      }),
      { numRuns: RUNS },
    );
  });

  test('a base64 body is its bytes decoded as UTF-8, counted as received even when they are not valid UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        const bytes = Buffer.from(raw);

        expect(decodeBody({ body: bytes.toString('base64'), isBase64Encoded: true })).toEqual(viaBuffer(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  test('a lone surrogate in a text body becomes U+FFFD, three bytes', () => {
    // Act
    const decoded = decodeBody({ body: 'a\ud800b', isBase64Encoded: false });

    // Assess
    expect(decoded).toEqual({ text: 'a\ufffdb', bytes: 5 });
  });

  test('a missing body is empty text of zero bytes', () => {
    // Act
    const decoded = decodeBody({ body: undefined, isBase64Encoded: false });

    // Assess
    expect(decoded).toEqual({ text: '', bytes: 0 });
  });
});

describe('toWebhookRequest', () => {
  test('carries the decoded body, the bytes received and lower-cased header names', () => {
    // Prepare
    const event = apiGatewayEvent({ body: Buffer.from('{"é":1}', 'utf8').toString('base64'), isBase64Encoded: true, headers: { 'Stripe-Signature': 't=1,v1=ab' } });

    // Act
    const request = toWebhookRequest(event);

    // Assess
    expect(request.rawBody).toBe('{"é":1}');
    expect(request.receivedBytes).toBe(8);
    expect(request.headers['stripe-signature']).toBe('t=1,v1=ab');
  });
});
