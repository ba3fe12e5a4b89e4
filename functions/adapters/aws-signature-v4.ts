import { createHash, createHmac } from 'node:crypto';

/** AWS credentials as Lambda hands them to a function (environment) or a credential provider returns them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A request to sign: the JSON-protocol calls this project makes are POSTs without a query string. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Header names in lower case; `host` is taken from `url`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

// The AWS SDK's never-signed headers: hop-by-hop ones a proxy may rewrite, and ones added after signing.
const UNSIGNED_HEADERS = new Set([
  'authorization', 'cache-control', 'connection', 'expect', 'from', 'keep-alive', 'max-forwards', 'pragma', 'referer', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id',
]);

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants it: `encodeURIComponent` leaves `!'()*` alone. */
const uriEncode = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Non-S3 services sign the path with `.`/`..` resolved and the already URL-encoded path encoded once more, as the
 * SDK does.
 */
const canonicalPath = (pathname: string): string => {
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && pathname.endsWith('/') ? '/' : '';
  return uriEncode(`${pathname.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
};

/** `20261127T045500Z` and `20261127` from a clock reading. */
export const amzDates = (nowMs: number): { readonly amzDate: string; readonly day: string } => {
  const amzDate = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { amzDate, day: amzDate.slice(0, 8) };
};

// The derived key changes once a day per secret, region and service; deriving it costs four HMACs per call.
const signingKeys = new Map<string, Buffer>();
const signingKey = (options: { readonly secretAccessKey: string; readonly day: string; readonly region: string; readonly service: string }): Buffer => {
  const cacheKey = `${options.day}/${options.region}/${options.service}/${options.secretAccessKey}`;
  const cached = signingKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const key = hmac(hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, options.day), options.region), options.service), 'aws4_request');
  if (signingKeys.size > 16) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
};

/**
 * Signs a request with AWS Signature Version 4 (header form), returning the headers to send: the given ones plus
 * `host`, `x-amz-date`, `x-amz-security-token` when the credentials carry one, and `authorization`.
 * `test/unit/aws-signature-v4.test.ts` proves with fast-check that it produces the same signature as the AWS
 * SDK's own signer (`@smithy/signature-v4`) for any request of this shape.
 */
export const signRequest = (options: {
  readonly request: SignableRequest;
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly service: string;
  readonly nowMs: number;
}): Record<string, string> => {
  const { request, credentials, region, service } = options;
  // JSON-protocol calls never carry one; refusing it beats signing it wrongly.
  if (request.url.search !== '') throw new Error('signRequest: a query string is not supported');
  const { amzDate, day } = amzDates(options.nowMs);
  const headers: Record<string, string> = { ...request.headers, host: request.url.host, 'x-amz-date': amzDate };
  if (credentials.sessionToken !== undefined && credentials.sessionToken !== '') headers['x-amz-security-token'] = credentials.sessionToken;
  const signed = Object.keys(headers)
    .filter((name) => !UNSIGNED_HEADERS.has(name))
    .sort();
  const canonicalHeaders = signed.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = signed.join(';');
  const canonicalRequest = [request.method.toUpperCase(), canonicalPath(request.url.pathname), '', canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey({ secretAccessKey: credentials.secretAccessKey, day, region, service }))
    .update(stringToSign, 'utf8')
    .digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
};
