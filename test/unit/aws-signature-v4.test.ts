import { createHash, createHmac } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import fc from 'fast-check';
import { amzDates, signRequest } from '../../functions/adapters/aws-signature-v4';
import type { AwsCredentials } from '../../functions/adapters/aws-signature-v4';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** The SDK signer's hash interface over node:crypto: an HMAC when given a secret, a plain SHA-256 otherwise. */
class NodeSha256 {
  private readonly hash: Hash | ReturnType<typeof createHmac>;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

interface Case {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly service: string;
  readonly nowMs: number;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the AWS SDK's own signer sends for the same request. */
const sdkHeaders = async (input: Case): Promise<Record<string, string>> => {
  const url = new URL(input.url);
  const signer = new SignatureV4({ credentials: input.credentials, region: input.region, service: input.service, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const signed = await signer.sign(
    { method: 'POST', protocol: url.protocol, hostname: url.hostname, ...(url.port === '' ? {} : { port: Number(url.port) }), path: url.pathname, query: {}, headers: { ...input.headers, host: url.host }, body: input.body },
    { signingDate: new Date(input.nowMs) },
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
};

const ourHeaders = (input: Case): Record<string, string> =>
  signRequest({ request: { method: 'POST', url: new URL(input.url), headers: input.headers, body: input.body }, credentials: input.credentials, region: input.region, service: input.service, nowMs: input.nowMs });

const token = fc.stringMatching(/^[A-Za-z0-9/+=]{1,60}$/);
const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  credentials: fc.record({ accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/), secretAccessKey: token, sessionToken: fc.option(token, { nil: undefined }) }).map(
    ({ sessionToken, ...rest }) => (sessionToken === undefined ? rest : { ...rest, sessionToken }),
  ),
  region: fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1'),
  service: fc.constantFrom('sqs', 'dynamodb', 'secretsmanager'),
  nowMs: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }),
  url: fc.constantFrom('https://sqs.us-east-1.amazonaws.com/', 'http://127.0.0.1:4244/', 'https://dynamodb.eu-west-3.amazonaws.com', 'http://localhost:8000/a/./b/../c d/', 'https://x.example/%7Euser/'),
  headers: fc.record(
    {
      'content-type': fc.constantFrom('application/x-amz-json-1.0', 'application/x-amz-json-1.1'),
      'x-amz-target': fc.constantFrom('AmazonSQS.SendMessage', 'DynamoDB_20120810.TransactWriteItems', 'secretsmanager.GetSecretValue'),
      'user-agent': fc.string({ maxLength: 20 }),
      'x-custom': fc.string({ maxLength: 20 }).map((value) => `  ${value}  with   spaces `),
    },
    { requiredKeys: ['content-type', 'x-amz-target'] },
  ),
  body: fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constant('')),
});

describe('signRequest (AWS Signature Version 4)', () => {
  it('signs every request exactly as the AWS SDK signer does', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (input) => {
        // Prepare / Act
        const ours = ourHeaders(input);
        const theirs = await sdkHeaders(input);
        // Assess
        expect(ours.authorization).toBe(theirs.authorization);
        expect(ours['x-amz-date']).toBe(theirs['x-amz-date']);
        expect(ours['x-amz-security-token']).toBe(theirs['x-amz-security-token']);
      }),
      { numRuns: RUNS },
    );
  });

  it('names the credential scope and the signed headers in the authorization header', () => {
    // Prepare: the IAM ListUsers example's keys and date, on a JSON-protocol POST.
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    // Act
    const headers = signRequest({
      request: { method: 'POST', url: new URL('https://sqs.us-east-1.amazonaws.com/'), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, body: '{}' },
      credentials,
      region: 'us-east-1',
      service: 'sqs',
      nowMs: Date.UTC(2015, 7, 30, 12, 36, 0),
    });
    // Assess
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.host).toBe('sqs.us-east-1.amazonaws.com');
  });

  it('refuses a query string rather than signing it wrongly', () => {
    // Prepare
    const request = { method: 'POST', url: new URL('https://sqs.us-east-1.amazonaws.com/?Action=SendMessage'), headers: {}, body: '' };
    // Act / Assess
    expect(() => signRequest({ request, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, region: 'us-east-1', service: 'sqs', nowMs: 0 })).toThrow(/query string/);
  });

  it('formats the signing date in UTC, to the second', () => {
    // Act / Assess
    expect(amzDates(Date.UTC(2026, 10, 27, 4, 55, 7, 999))).toEqual({ amzDate: '20261127T045507Z', day: '20261127' });
  });
});
