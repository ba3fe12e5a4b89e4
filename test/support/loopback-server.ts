import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a fake AWS service sees it: headers and the whole body as text. */
export interface LoopbackRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** What a fake answers. */
export interface LoopbackResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** An HTTP server on 127.0.0.1 and a free port. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, to pass as an SDK client's `endpoint`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const reply = (response: ServerResponse, answer: LoopbackResponse): void => {
  response.writeHead(answer.status, { 'content-type': answer.contentType, 'x-amzn-requestid': 'fake-request-id' });
  response.end(answer.body);
};

/** Starts a server that hands every request, body read, to `handle`; the fakes of AWS services build on it. */
export const startLoopbackServer = async (handle: (request: LoopbackRequest) => LoopbackResponse): Promise<LoopbackServer> => {
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => reply(response, handle({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body })))
      .catch((error: unknown) => reply(response, { status: 500, contentType: 'text/plain', body: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets of SDK clients would hold close() open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

/** Dummy settings every SDK client pointed at a fake needs: a region and static credentials. */
export const FAKE_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret-key' } } as const;
