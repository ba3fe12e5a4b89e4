/** The stripe package alone, as a worker or reconciler evaluates it at its first `import('stripe')`. */
import Stripe from 'stripe';

export const handler = async () => new Stripe('sk_test_floor');
