import fc from 'fast-check';
import Stripe from 'stripe';
import { createHmacSignatureVerifier } from '../../functions/adapters/hmac-signature-verifier';
import { InvalidEventError, SignatureVerificationError } from '../../functions/core/errors';
import { parseThinEvent } from '../../functions/core/thin-event';
import { makeEventBody, signPayload } from '../support/event-factory';
import { THIN_FIXTURE_TYPES, loadThinNotification } from '../support/thin-fixtures';

const NOW_MS = Date.UTC(2026, 10, 27, 12);
const NOW = Math.floor(NOW_MS / 1000);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
const stripe = new Stripe('sk_test_oracle_only');
const verifier = createHmacSignatureVerifier();

/** The oracle: stripe-node's parseEventNotification with each secret in turn, as a destination with several secrets would be checked. */
const oracle = (input: { payload: string; header: string | undefined; secrets: readonly string[] }): string => {
  let last = 'no secret';
  for (const secret of input.secrets) {
    try {
      stripe.parseEventNotification(input.payload, input.header as string, secret, 300, undefined, NOW_MS);
      return 'accepted';
    } catch (error) {
      last = error instanceof Stripe.errors.StripeSignatureVerificationError ? 'signature' : 'not a notification';
    }
  }
  return last;
};

/** The ingest's check of the thin route: the node:crypto verifier, then the thin parser. */
const ingest = (input: { payload: string; header: string | undefined; secrets: readonly string[] }): string => {
  try {
    verifier.verify({ rawBody: input.payload, header: input.header, secrets: input.secrets, nowMs: NOW_MS });
  } catch (error) {
    return error instanceof SignatureVerificationError ? 'signature' : `threw ${String(error)}`;
  }
  try {
    parseThinEvent(input.payload);
    return 'accepted';
  } catch (error) {
    return error instanceof InvalidEventError ? 'not a notification' : `threw ${String(error)}`;
  }
};

const notifications = THIN_FIXTURE_TYPES.map(loadThinNotification);
const payloadArbitrary = fc.oneof(
  fc.constantFrom(...notifications),
  // One changed byte: still JSON sometimes, never the signed bytes.
  fc.tuple(fc.constantFrom(...notifications), fc.nat(), fc.constantFrom(' ', '1', 'x', '"')).map(([body, at, char]) => body.slice(0, at % body.length) + char + body.slice((at % body.length) + 1)),
  fc.constant(makeEventBody()),
  fc.json({ maxDepth: 2 }),
  fc.constant(''),
);
const secretArbitrary = fc.stringMatching(/^whsec_[A-Za-z0-9]{1,24}$/);
const caseArbitrary = fc
  .record({ payload: payloadArbitrary, signing: secretArbitrary, others: fc.array(secretArbitrary, { minLength: 0, maxLength: 2 }), share: fc.boolean(), timestamp: fc.oneof(fc.integer({ min: NOW - 600, max: NOW + 600 }), fc.constantFrom(NOW - 300, NOW - 301)) })
  .chain((base) =>
    fc
      .oneof(
        fc.constant(signPayload({ payload: base.payload, secret: base.signing, timestamp: base.timestamp })),
        fc.constant(`t=${base.timestamp},v1=${'0'.repeat(64)}`),
        fc.constantFrom('', 'garbage', `t=${base.timestamp}`, `t=${base.timestamp},v0=abc`),
        fc.constant(undefined),
      )
      .map((header) => ({ payload: base.payload, header, secrets: base.share ? [...base.others, base.signing] : base.others.length > 0 ? base.others : ['whsec_unrelated'] })),
  );

describe('the thin route against stripe-node parseEventNotification (differential)', () => {
  test('accepts exactly the notifications parseEventNotification accepts, and refuses for the same class of reason', () => {
    // Prepare
    const property = fc.property(caseArbitrary, (input) => {
      // Act
      const [expected, actual] = [oracle(input), ingest(input)];

      // Assess: the shape check is stricter than the SDK's (which refuses only a wrong `object`, and accepts
      // e.g. `[]` or `{}`), never looser: a genuine notification is never refused for its shape.
      if (expected === 'accepted' && actual === 'not a notification') {
        expect(notifications).not.toContain(input.payload);
        return;
      }
      expect(actual).toBe(expected);
    });

    fc.assert(property, { numRuns: RUNS });
  });

  test('the real notifications, signed now, are accepted by both; a v1 event signed now is refused by both as not a notification', () => {
    // Prepare
    const secret = 'whsec_differential_fixed';
    const cases = [...notifications, makeEventBody()].map((payload) => ({ payload, header: signPayload({ payload, secret, timestamp: NOW }), secrets: [secret] }));

    // Act
    const outcomes = cases.map((input) => [oracle(input), ingest(input)]);

    // Assess
    expect(outcomes).toEqual([...notifications.map(() => ['accepted', 'accepted']), ['not a notification', 'not a notification']]);
  });

  test('the generated cases reach every outcome, so the agreement above is not vacuous', () => {
    // Prepare
    const seen = new Set<string>();

    // Act
    fc.assert(fc.property(caseArbitrary, (input) => void seen.add(oracle(input))), { numRuns: RUNS });

    // Assess
    expect([...seen].sort()).toEqual(['accepted', 'not a notification', 'signature']);
  });
});
