import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** What the proxy does with one request. */
export const ProxyFault = {
  /** Forward it and return the answer. */
  none: 'none',
  /** Forward it, let the service answer, then close the connection without passing the answer on: a lost reply. */
  loseReply: 'lose-reply',
  /** Accept it and never answer, keeping the connection open: a stalled call. */
  stall: 'stall',
} as const;
export type ProxyFault = (typeof ProxyFault)[keyof typeof ProxyFault];

/** One request the proxy saw: the AWS operation (from `X-Amz-Target`), its JSON body, and what was done to it. */
export interface ProxiedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly fault: ProxyFault;
}

/** An HTTP proxy on 127.0.0.1 in front of an AWS JSON-protocol endpoint (DynamoDB Local, fauxqs). */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`, to pass as an SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly requests: readonly ProxiedRequest[];
  /** The requests of one operation, in order. */
  of(operation: string): readonly ProxiedRequest[];
  stop(): Promise<void>;
}

const readBody = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

const operationOf = (message: IncomingMessage): string => String(message.headers['x-amz-target'] ?? '').split('.').pop() ?? '';

const parse = (body: Buffer): Record<string, unknown> => {
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** Sends the request on to the upstream and resolves with its whole answer. */
const forward = (options: { readonly upstream: URL; readonly incoming: IncomingMessage; readonly body: Buffer }) =>
  new Promise<{ readonly status: number; readonly headers: IncomingMessage['headers']; readonly body: Buffer }>((resolve, reject) => {
    const outgoing = httpRequest(
      { host: options.upstream.hostname, port: options.upstream.port, method: options.incoming.method, path: options.incoming.url, headers: options.incoming.headers },
      (answer) => {
        readBody(answer).then((body) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body }), reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });

/**
 * Starts a proxy to `upstream`. `faultFor` decides, for each request in arrival order, whether it goes through,
 * loses its reply or stalls; the decision sees the operation and how many requests of it came before.
 */
export const startFaultProxy = async (options: {
  readonly upstream: string;
  readonly faultFor: (request: { readonly operation: string; readonly seen: number }) => ProxyFault;
}): Promise<FaultProxy> => {
  const upstream = new URL(options.upstream);
  const requests: ProxiedRequest[] = [];
  const stalled = new Set<Socket>();
  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    const operation = operationOf(incoming);
    const fault = options.faultFor({ operation, seen: requests.filter((seen) => seen.operation === operation).length });
    requests.push({ operation, body: parse(body), fault });
    if (fault === ProxyFault.stall) {
      stalled.add(incoming.socket);
      return;
    }
    const answer = await forward({ upstream, incoming, body });
    if (fault === ProxyFault.loseReply) {
      incoming.socket.destroy();
      return;
    }
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };
  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    of: (operation) => requests.filter((request) => request.operation === operation),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of stalled) socket.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
