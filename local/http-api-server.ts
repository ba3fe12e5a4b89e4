import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** API Gateway HTTP APIs refuse bodies over 10 MB before any Lambda runs. */
export const HTTP_API_MAX_BODY_BYTES = 10 * 1024 * 1024;

const TEXTUAL = /^(text\/|application\/(json|xml|x-www-form-urlencoded)|[^;]*\+json)/i;

/**
 * Builds the payload-format-2.0 event API Gateway would send: lower-cased header names with repeated headers
 * joined by commas, and a body that is base64-encoded unless it is text (as the HTTP API does).
 */
export const toHttpApiEvent = (request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? '').toLowerCase();
    const value = request.rawHeaders[index + 1] ?? '';
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const text = TEXTUAL.test(headers['content-type'] ?? '') && isUtf8(body);
  const method = request.method ?? 'GET';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !text,
  };
};

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= HTTP_API_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > HTTP_API_MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const send = (response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void => {
  const body = result.body ?? '';
  response.writeHead(result.statusCode ?? 200, { ...result.headers, 'content-length': Buffer.byteLength(body) } as Record<string, string | number>);
  response.end(body);
};

/**
 * A local stand-in for the HTTP API: every request becomes a payload-2.0 event for the ingest handler.
 * `GET /health` answers 200 once `isReady()` is true.
 */
export const startHttpApiServer = async (options: {
  readonly port: number;
  readonly host?: string;
  readonly handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  readonly isReady: () => boolean;
}): Promise<{ readonly url: string; readonly server: Server; stop(): Promise<void> }> => {
  const server = createServer((request, response) => {
    void (async () => {
      try {
        if (request.method === 'GET' && request.url === '/health') {
          const ready = options.isReady();
          return send(response, { statusCode: ready ? 200 : 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: ready ? 'ok' : 'starting' }) });
        }
        const body = await readBody(request);
        if (body === undefined) return send(response, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
        send(response, await options.handler(toHttpApiEvent(request, body)));
      } catch {
        // API Gateway answers a crashed integration the same way.
        send(response, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
      }
    })();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
