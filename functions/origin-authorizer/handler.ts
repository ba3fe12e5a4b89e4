import { ORIGIN_VERIFY_HEADER, isFromFront } from '../core/origin-check';

/** The HTTP API's Lambda authorizer (simple responses) when the CloudFront/WAF front is on. */
interface AuthorizerEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

// Resolved by CloudFormation from the front's origin token secret.
const token = process.env.ORIGIN_VERIFY_TOKEN ?? '';

/** Refuses (403) every request that did not come through the front, i.e. that bypassed the web ACL. */
export const handler = async (event: AuthorizerEvent): Promise<{ isAuthorized: boolean }> => ({
  isAuthorized: isFromFront({ header: event.headers?.[ORIGIN_VERIFY_HEADER], token }),
});
