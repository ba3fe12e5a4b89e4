import { startLoopbackServer } from './loopback-server';
import type { LoopbackResponse, LoopbackServer } from './loopback-server';

/** A CloudFormation stand-in on loopback: `DescribeStacks` only, in the AWS query protocol the SDK uses. */
export interface FakeCloudFormation extends LoopbackServer {
  /** Declares a deployed stack and its outputs (OutputKey → OutputValue). */
  addStack(name: string, outputs: Readonly<Record<string, string>>): void;
  /** `DescribeStacks` requests received. */
  readonly describeCalls: () => number;
}

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const xml = (status: number, body: string): LoopbackResponse => ({ status, contentType: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });

// The shape AWS answers with: the result nested in <DescribeStacksResult>, lists as <member> elements.
const describeStacksXml = (name: string, outputs: Readonly<Record<string, string>>): string => {
  const members = Object.entries(outputs)
    .map(([key, value]) => `<member><OutputKey>${escapeXml(key)}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`)
    .join('');
  return `<DescribeStacksResponse xmlns="${NAMESPACE}"><DescribeStacksResult><Stacks><member>
<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${escapeXml(name)}/0a1b2c3d-0000-0000-0000-000000000000</StackId>
<StackName>${escapeXml(name)}</StackName><CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>
<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>
<ResponseMetadata><RequestId>fake-request-id</RequestId></ResponseMetadata></DescribeStacksResponse>`;
};

const errorXml = (code: string, message: string): string =>
  `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>fake-request-id</RequestId></ErrorResponse>`;

/** Starts the fake on a free loopback port; point a client at `endpoint` (or `AWS_ENDPOINT_URL_CLOUDFORMATION`). */
export const startFakeCloudFormation = async (): Promise<FakeCloudFormation> => {
  const stacks = new Map<string, Readonly<Record<string, string>>>();
  let describeCalls = 0;
  const server = await startLoopbackServer((request) => {
    const form = new URLSearchParams(request.body);
    if (form.get('Action') !== 'DescribeStacks') return xml(400, errorXml('InvalidAction', `fake does not speak ${form.get('Action') ?? '(none)'}`));
    describeCalls += 1;
    const name = form.get('StackName') ?? '';
    const outputs = stacks.get(name);
    // What CloudFormation answers for an unknown stack name: a 400 ValidationError.
    if (outputs === undefined) return xml(400, errorXml('ValidationError', `Stack with id ${name} does not exist`));
    return xml(200, describeStacksXml(name, outputs));
  });
  return {
    ...server,
    addStack: (name, outputs) => {
      stacks.set(name, outputs);
    },
    describeCalls: () => describeCalls,
  };
};
