import fc from 'fast-check';
import { createHmacSignatureVerifier } from '../../functions/adapters/hmac-signature-verifier';
import { createStripeSignatureVerifier } from '../../functions/adapters/stripe-signature-verifier';
import { SignatureVerificationError } from '../../functions/core/errors';
import type { SignatureVerifier } from '../../functions/core/ports';
import { signPayload } from '../support/event-factory';

const NOW_MS = Date.UTC(2026, 10, 27, 12);
const NOW = Math.floor(NOW_MS / 1000);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** What a verifier concluded: accepted, or the reason it refused. */
const outcome = (verifier: SignatureVerifier, input: Parameters<SignatureVerifier['verify']>[0]): string => {
  try {
    verifier.verify(input);
    return 'accepted';
  } catch (error) {
    if (error instanceof SignatureVerificationError) return error.reason;
    return `threw ${error instanceof Error ? error.name : String(error)}`;
  }
};

const sdk = createStripeSignatureVerifier();
const light = createHmacSignatureVerifier();

const secretArbitrary = fc.stringMatching(/^whsec_[A-Za-z0-9]{1,32}$/);
const payloadArbitrary = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.json({ maxDepth: 2 }), fc.constant(''));
const timestampArbitrary = fc.oneof(fc.integer({ min: NOW - 1000, max: NOW + 1000 }), fc.constantFrom(NOW - 300, NOW - 301, 0, -1));

/** Header items: valid and near-valid pieces, joined in any order, so the parser's corners are reached. */
const headerArbitrary = (options: { payload: string; secrets: readonly string[]; timestamp: number }) => {
  const good = options.secrets.map((secret) => signPayload({ payload: options.payload, secret, timestamp: Math.max(options.timestamp, 0) }).split(',')[1] as string);
  const item = fc.oneof(
    fc.constant(`t=${options.timestamp}`),
    fc.constantFrom(...good),
    fc.constant(`v1=${'0'.repeat(64)}`),
    fc.constantFrom('v1=', 'v1', 't=', 't', 'v0=abc', 'v1=é'.padEnd(67, 'a'), `t=0${options.timestamp}`, `t= ${options.timestamp}`, `t=${options.timestamp}abc`, ' t=1', 'garbage', '', '=', 'v1==', `v1=${good[0]}=x`),
    fc.string({ maxLength: 12 }),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `v1=${hex}`),
    // Stripe's diagnostic metadata, which stripe-node (23.2.0 and later) reads to word a mismatch differently.
    fc.constantFrom(...options.secrets.map((secret) => `secret=${'*'.repeat(Math.max(secret.length - 4, 0))}${secret.slice(-4)}`), 'secret=whsec_****abcd', 'destination=we_1QxV2m', 'payload=0a1b2c3d', 'payload=zz'),
  );
  return fc.oneof(
    fc.array(item, { minLength: 0, maxLength: 5 }).map((items) => items.join(',')),
    fc.constant(signPayload({ payload: options.payload, secret: options.secrets[0] as string, timestamp: Math.max(options.timestamp, 0) })),
    fc.constantFrom('', ' ', '\t'),
  );
};

const caseArbitrary = fc
  .record({ payload: payloadArbitrary, signingSecrets: fc.array(secretArbitrary, { minLength: 1, maxLength: 2 }), verifyingSecrets: fc.array(secretArbitrary, { minLength: 1, maxLength: 3 }), timestamp: timestampArbitrary, shareSecret: fc.boolean() })
  .chain((base) => {
    const secrets = base.shareSecret ? [...base.verifyingSecrets, ...base.signingSecrets] : base.verifyingSecrets;
    return headerArbitrary({ payload: base.payload, secrets: base.signingSecrets, timestamp: base.timestamp }).map((header) => ({ payload: base.payload, header, secrets }));
  });

describe('the node:crypto verifier against the stripe package (differential)', () => {
  test('accepts and rejects exactly what the SDK-based verifier does, for the same reasons', () => {
    // Prepare
    const property = fc.property(caseArbitrary, fc.boolean(), ({ payload, header, secrets }, headerMissing) => {
      const input = { rawBody: payload, header: headerMissing ? undefined : header, secrets, nowMs: NOW_MS };

      // Act
      const [expected, actual] = [outcome(sdk, input), outcome(light, input)];

      // Assess
      expect(actual).toBe(expected);
    });

    fc.assert(property, { numRuns: RUNS });
  });

  test('the generated cases reach every outcome, so the agreement above is not vacuous', () => {
    // Prepare
    const seen = new Set<string>();

    // Act
    fc.assert(
      fc.property(caseArbitrary, ({ payload, header, secrets }) => {
        seen.add(outcome(sdk, { rawBody: payload, header, secrets, nowMs: NOW_MS }));
      }),
      { numRuns: RUNS },
    );

    // Assess
    expect([...seen].sort()).toEqual(expect.arrayContaining(['accepted', 'empty_payload', 'malformed_header', 'missing_header', 'no_matching_signature', 'timestamp_outside_tolerance']));
  });
});
