import * as fc from 'fast-check';
import { createHmacSignatureVerifier } from '../../functions/adapters/hmac-signature-verifier';
import { createStripeSignatureVerifier } from '../../functions/adapters/stripe-signature-verifier';
import type { SignatureVerifier } from '../../functions/core/ports';
import { SignatureFailureReason, SignatureVerificationError } from '../../functions/core/errors';
import { captureError } from '../support/capture-error';
import { signPayload, signatureOf } from '../support/event-factory';

/** 200 keeps the suite fast; set PROPERTY_RUNS for a deeper search. */
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
/** Both verifiers: the stripe package's, and the node:crypto one the ingest runs. */
const VERIFIERS: ReadonlyArray<readonly [string, SignatureVerifier]> = [
  ['stripe package', createStripeSignatureVerifier()],
  ['node:crypto', createHmacSignatureVerifier()],
];
let verifier: SignatureVerifier = VERIFIERS[0]![1];

/** Any well-formed Unicode text, emoji and astral planes included; the body Stripe signs is never empty. */
const payloadArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 200 });
/** ASCII whitespace only: stripe-node (23.0.1 and later) refuses it as no secret at all, as the verifiers do. */
const BLANK_SECRET = /^[ \t\r\n\f\v]*$/;
/** Any secret that is not blank: the verifier takes the key as-is, `whsec_` prefix included. */
const secretArb = fc
  .oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).map((rest) => `whsec_${rest}`))
  .filter((secret) => !BLANK_SECRET.test(secret));
/** Signing time in seconds: 2001 to 2096. */
const timestampArb = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });
/** One code point, so an edit never splits a surrogate pair into text with the same UTF-8 bytes. */
const codePointArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** A body that differs from `payload`: another string, or one code point inserted, removed or replaced. */
const changedBodyArb = (payload: string): fc.Arbitrary<string> => {
  const points = Array.from(payload);
  const at = fc.integer({ min: 0, max: points.length - 1 });
  return fc
    .oneof(
      payloadArb,
      fc.tuple(fc.integer({ min: 0, max: points.length }), codePointArb).map(([index, point]) => [...points.slice(0, index), point, ...points.slice(index)].join('')),
      at.map((index) => [...points.slice(0, index), ...points.slice(index + 1)].join('')),
      fc.tuple(at, codePointArb).map(([index, point]) => [...points.slice(0, index), point, ...points.slice(index + 1)].join('')),
    )
    .filter((body) => body !== payload && body !== '');
};

/** Runs the verifier and returns the error it threw, or undefined when the request verified. */
const verifyError = (input: { rawBody: string; header: string; secrets: readonly string[]; nowMs: number }): unknown =>
  captureError(() => verifier.verify(input));

const isNoMatch = (error: unknown): boolean =>
  error instanceof SignatureVerificationError && error.reason === SignatureFailureReason.noMatchingSignature;

describe.each(VERIFIERS)('Stripe signature verifier properties (%s)', (_name, candidate) => {
  beforeAll(() => {
    verifier = candidate;
  });

  test('a payload signed with the secret verifies when received up to 300 s after signing (or before it)', () => {
    // Prepare
    const property = fc.property(payloadArb, secretArb, timestampArb, fc.integer({ min: -3_600_000, max: 300_999 }), (payload, secret, t, delayMs) => {
      const header = signPayload({ payload, secret, timestamp: t });

      // Act
      const error = verifyError({ rawBody: payload, header, secrets: [secret], nowMs: t * 1000 + delayMs });

      // Assess
      expect(error).toBeUndefined();
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('a payload signed with any one of the configured secrets verifies, wherever that secret is listed', () => {
    // Prepare
    const property = fc.property(payloadArb, fc.uniqueArray(secretArb, { minLength: 1, maxLength: 4 }), fc.nat(), timestampArb, (payload, secrets, pick, t) => {
      const secret = secrets[pick % secrets.length] ?? '';
      const header = signPayload({ payload, secret, timestamp: t });

      // Act
      const error = verifyError({ rawBody: payload, header, secrets, nowMs: t * 1000 });

      // Assess
      expect(error).toBeUndefined();
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('any change to the body makes verification fail with no matching signature', () => {
    // Prepare
    const scenario = fc.tuple(payloadArb, secretArb, timestampArb).chain(([payload, secret, t]) =>
      changedBodyArb(payload).map((changed) => ({ payload, secret, t, changed })),
    );
    const property = fc.property(scenario, ({ payload, secret, t, changed }) => {
      const header = signPayload({ payload, secret, timestamp: t });

      // Act
      const error = verifyError({ rawBody: changed, header, secrets: [secret], nowMs: t * 1000 });

      // Assess
      expect(isNoMatch(error)).toBe(true);
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('any change to the timestamp, keeping the v1 signature, makes verification fail with no matching signature', () => {
    // Prepare
    const property = fc.property(payloadArb, secretArb, timestampArb, timestampArb, (payload, secret, t, otherT) => {
      fc.pre(otherT !== t);
      const header = `t=${otherT},v1=${signatureOf(signPayload({ payload, secret, timestamp: t }))}`;

      // Act
      const error = verifyError({ rawBody: payload, header, secrets: [secret], nowMs: Math.max(t, otherT) * 1000 });

      // Assess
      expect(isNoMatch(error)).toBe(true);
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('any changed character in the signature hex makes verification fail with no matching signature', () => {
    // Prepare
    const replacementArb = fc.constantFrom(...'0123456789abcdefABCDEFxyz_-+/ ');
    const property = fc.property(payloadArb, secretArb, timestampArb, fc.integer({ min: 0, max: 63 }), replacementArb, (payload, secret, t, index, replacement) => {
      const signature = signatureOf(signPayload({ payload, secret, timestamp: t }));
      fc.pre(signature[index] !== replacement);
      const tampered = `${signature.slice(0, index)}${replacement}${signature.slice(index + 1)}`;

      // Act
      const error = verifyError({ rawBody: payload, header: `t=${t},v1=${tampered}`, secrets: [secret], nowMs: t * 1000 });

      // Assess
      expect(isNoMatch(error)).toBe(true);
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('a signature made with a different secret never verifies', () => {
    // Prepare
    const property = fc.property(payloadArb, secretArb, secretArb, timestampArb, (payload, secret, otherSecret, t) => {
      // HMAC pads short keys with zero bytes, so 'k' and 'k\0' are the same key: that is HMAC, not the verifier.
      fc.pre(secret.replace(/\0+$/, '') !== otherSecret.replace(/\0+$/, ''));
      const header = signPayload({ payload, secret: otherSecret, timestamp: t });

      // Act
      const error = verifyError({ rawBody: payload, header, secrets: [secret], nowMs: t * 1000 });

      // Assess
      expect(isNoMatch(error)).toBe(true);
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('a correct signature received more than 300 s after signing fails as outside the tolerance', () => {
    // Prepare
    const property = fc.property(payloadArb, secretArb, timestampArb, fc.integer({ min: 301, max: 10 * 86_400 }), (payload, secret, t, ageSeconds) => {
      const header = signPayload({ payload, secret, timestamp: t });

      // Act
      const error = verifyError({ rawBody: payload, header, secrets: [secret], nowMs: (t + ageSeconds) * 1000 });

      // Assess
      expect(error).toBeInstanceOf(SignatureVerificationError);
      expect((error as SignatureVerificationError).reason).toBe(SignatureFailureReason.timestampOutsideTolerance);
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });

  test('a blank secret (empty or ASCII whitespace only) is refused before any HMAC, whatever the header', () => {
    // Prepare
    const property = fc.property(payloadArb, secretArb, timestampArb, fc.stringMatching(/^[ \t\r\n\f\v]{0,8}$/), (payload, secret, t, blank) => {
      const header = signPayload({ payload, secret, timestamp: t });

      // Act
      const error = verifyError({ rawBody: payload, header, secrets: [blank, secret], nowMs: t * 1000 });

      // Assess
      expect(error).toBeInstanceOf(SignatureVerificationError);
      expect((error as SignatureVerificationError).reason).toBe(SignatureFailureReason.malformedHeader);
    });

    fc.assert(property, { numRuns: NUM_RUNS });
  });
});
