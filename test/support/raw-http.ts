import { request } from 'node:http';

/** An HTTP request with full control over the bytes: any method, repeated headers, any body. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Header lines; a name given twice is sent as two lines (in the order given for that name). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer | string;
}

/** The status and text of the answer. */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends one request on a fresh connection (no keep-alive, so a refused request cannot poison the next one)
 * and resolves with the answer; `timeoutMs` bounds the whole exchange.
 */
export const sendRaw = (baseUrl: string, raw: RawRequest, timeoutMs = 15_000): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(raw.path, baseUrl);
    const body = raw.body === undefined ? undefined : Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(raw.body, 'utf8');
    // A name given several times becomes an array, which Node sends as that many header lines.
    const headers: Record<string, string | string[]> = {};
    const add = (name: string, value: string) => {
      const key = name.toLowerCase();
      const existing = headers[key];
      headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    };
    for (const [name, value] of raw.headers ?? []) add(name, value);
    if (body !== undefined && headers['content-length'] === undefined) add('content-length', String(body.length));
    add('connection', 'close');
    const outgoing = request({ host: url.hostname, port: url.port, method: raw.method, path: `${url.pathname}${url.search}`, headers, agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${raw.method} ${raw.path}: no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
