import { InvalidArgumentError } from 'commander';

/** A connected account id on the command line; an empty or malformed value is a usage error (exit 2). */
export const accountIdArg = (value: string): string => {
  if (!/^acct_[A-Za-z0-9]+$/.test(value)) throw new InvalidArgumentError(`must look like acct_…, got ${JSON.stringify(value)}`);
  return value;
};

/** A Stripe event id on the command line. */
export const eventIdArg = (value: string): string => {
  if (!/^evt_[A-Za-z0-9]+$/.test(value)) throw new InvalidArgumentError(`must look like evt_…, got ${JSON.stringify(value)}`);
  return value;
};

/** A webhook signing secret on the command line; the value itself is never echoed. */
export const signingSecretArg = (value: string): string => {
  if (!/^whsec_\S+$/.test(value)) throw new InvalidArgumentError('must be a Stripe webhook signing secret (whsec_…)');
  return value;
};
