import { createHash, timingSafeEqual } from 'node:crypto';

/** The header the CloudFront front adds to every request it forwards to the HTTP API. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Whether a request came through the front: its origin-verify header equals the shared token. Both sides are
 * hashed first, so the comparison takes the same time whatever the lengths.
 */
export const isFromFront = (options: { readonly header: string | undefined; readonly token: string }): boolean => {
  if (options.header === undefined || options.token === '') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(options.header), digest(options.token));
};
