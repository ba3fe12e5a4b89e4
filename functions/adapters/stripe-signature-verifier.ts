import Stripe from 'stripe';
import { ConfigurationError, SignatureFailureReason, SignatureVerificationError } from '../core/errors';
import type { SignatureVerifier } from '../core/ports';

import { STRIPE_TOLERANCE_SECONDS } from '../core/signature-policy';

export { STRIPE_TOLERANCE_SECONDS };

// stripe-node reports every failure as one error type; its messages are the only way to tell them apart.
const REASONS: ReadonlyArray<readonly [RegExp, SignatureFailureReason]> = [
  [/No stripe-signature header value/i, SignatureFailureReason.missingHeader],
  [/Unable to extract timestamp and signatures/i, SignatureFailureReason.malformedHeader],
  [/No signatures found with expected scheme/i, SignatureFailureReason.malformedHeader],
  [/Timestamp outside the tolerance zone/i, SignatureFailureReason.timestampOutsideTolerance],
  [/No webhook payload was provided/i, SignatureFailureReason.emptyPayload],
  [/No signatures found matching the expected signature/i, SignatureFailureReason.noMatchingSignature],
  // Since stripe 23.2.0, a mismatch on a header carrying Stripe's diagnostic metadata (`secret=whsec_****…`,
  // `payload=<hash tail>`) says which of the secret or the body differs, in these words.
  [/Webhook signature verification failed/i, SignatureFailureReason.noMatchingSignature],
];

const classify = (error: unknown): SignatureVerificationError => {
  const message = error instanceof Error ? error.message : String(error);
  const reason = REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? SignatureFailureReason.malformedHeader;
  return new SignatureVerificationError({ reason, detail: message.split('.')[0] ?? reason, cause: error });
};

/**
 * Verifies with the stripe package's own `verifyHeader`, always passing the 300 s tolerance explicitly (before
 * stripe 23 its default was no age check at all; it is 300 s now, and 0 means none). Several secrets are tried
 * in turn: during a rotation both the old and the new secret are valid. A header-level fault or a stale
 * timestamp (which means the signature matched) ends the search at once.
 */
export const createStripeSignatureVerifier = (): SignatureVerifier => {
  const signature = Stripe.webhooks.signature;
  if (signature === null) throw new ConfigurationError({ detail: 'the stripe package has no signature helper' });
  return { verify: ({ rawBody, header, secrets, nowMs }) => {
    if (header === undefined || header.trim() === '') {
      throw new SignatureVerificationError({ reason: SignatureFailureReason.missingHeader, detail: 'no Stripe-Signature header' });
    }
    let lastFailure: SignatureVerificationError | undefined;
    for (const secret of secrets) {
      try {
        signature.verifyHeader(rawBody, header, secret, STRIPE_TOLERANCE_SECONDS, undefined, nowMs);
        return;
      } catch (error) {
        lastFailure = classify(error);
        if (lastFailure.reason !== SignatureFailureReason.noMatchingSignature) throw lastFailure;
      }
    }
    throw lastFailure ?? new SignatureVerificationError({ reason: SignatureFailureReason.noMatchingSignature, detail: 'no secret to check against' });
  } };
};
