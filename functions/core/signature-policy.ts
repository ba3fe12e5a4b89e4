/** Stripe's tolerance for a signature's timestamp, in seconds (stripe-node's DEFAULT_TOLERANCE). */
export const STRIPE_TOLERANCE_SECONDS = 300;
