/**
 * Ingest CPU per event against the floor of any verifying ingest: HMAC-SHA256 over `<t>.<payload>` plus a
 * `JSON.parse` of the same payload. The real handler (createIngestHandler with the dependencies the Lambda builds
 * from its environment: env secrets, the real verifier) runs with the queue adapter stubbed and the logger
 * silenced; then once more with the real queue adapter and SDK SQS client, only its HTTP exchange stubbed (the
 * SDK still serializes, signs and checks the MD5 of the answer). Floor and ingest rounds alternate, and the
 * medians of the rounds are compared.
 */
import { createHash, createHmac } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../functions/adapters/aws-clients';
import { createSqsEventQueue } from '../functions/adapters/sqs-event-queue';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Logger } from '../functions/core/ports';
import { createIngestHandler, ingestDependenciesFromEnv } from '../functions/ingest/create-handler';
import { BENCH_SECRET, eventFactory, template } from './lib/payloads';
import { median, round } from './lib/stats';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface IngestCpuResult {
  readonly payloadBytes: number;
  readonly eventType: string;
  readonly rounds: number;
  readonly iterationsPerRound: number;
  readonly ingestMs: number;
  readonly floorMs: number;
  readonly ratio: number;
  /** The ratio of each round, in order: how much it moves on this machine. */
  readonly roundRatios: readonly number[];
  /** The same handler with the SDK's SendMessage, its HTTP exchange stubbed. */
  readonly withSdkMs: number;
  readonly withSdkRatio: number;
  readonly targetRatio: number;
}

/**
 * An SQS client whose HTTP exchange is a canned SendMessage answer (with the body's MD5, which the SDK checks):
 * everything but the network.
 */
const stubbedSqsClient = () => {
  // As createSqsClient builds it, plus credentials: a benchmark has none in its environment.
  const client = new SQSClient({ ...awsClientConfig({ region: 'us-east-1' }), useQueueUrlAsEndpoint: false, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  let sent = 0;
  client.config.requestHandler = {
    handle: async (request: { body: Uint8Array | string }) => {
      const { body } = request;
      const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
      const input = JSON.parse(text) as { MessageBody: string };
      sent += 1;
      const answer = JSON.stringify({ MessageId: `m${sent}`, MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') });
      return { response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' }, body: Buffer.from(answer) } };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as unknown as typeof client.config.requestHandler;
  return client;
};

const cpuMsPerCall = async (iterations: number, run: () => unknown): Promise<number> => {
  const start = process.cpuUsage();
  for (let index = 0; index < iterations; index += 1) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / iterations;
};

const httpApiEvent = (body: string, signature: string): APIGatewayProxyEventV2 => {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/webhooks/connect',
    rawQueryString: '',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: '/webhooks/connect', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Stripe/1.0' },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
};

export const measureIngestCpu = async (options: { readonly rounds: number; readonly iterations: number; readonly log: (line: string) => void }): Promise<IngestCpuResult> => {
  const eventType = 'account.updated';
  const signed = eventFactory({ template: template(eventType), prefix: 'cpu' })();
  const env: NodeJS.ProcessEnv = {
    QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-events',
    STRIPE_WEBHOOK_SECRET: BENCH_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: BENCH_SECRET,
    AWS_REGION: 'us-east-1',
  };
  let sent = 0;
  const queue = {
    maxMessageBytes: 1_048_576,
    send: async () => {
      sent += 1;
      return { messageId: `m${sent}` };
    },
  };
  const handler = createIngestHandler({ deps: { ...ingestDependenciesFromEnv(env), queue }, logger: silent });
  const sdkQueue = createSqsEventQueue({ client: stubbedSqsClient(), queueUrl: env.QUEUE_URL ?? '' });
  const withSdk = createIngestHandler({ deps: { ...ingestDependenciesFromEnv(env), queue: sdkQueue }, logger: silent });
  const event = httpApiEvent(signed.body, signed.signature);
  const check = await handler(event);
  if (check.statusCode !== 200 || sent !== 1) throw new Error(`the ingest refused the benchmark event: HTTP ${check.statusCode} ${check.body ?? ''}`);
  const timestamp = Math.floor(Date.now() / 1000);
  const floor = () => {
    createHmac('sha256', BENCH_SECRET).update(`${timestamp}.${signed.body}`).digest('hex');
    JSON.parse(signed.body);
  };
  const ingest = () => handler(event);
  const ingestWithSdk = () => withSdk(event);
  const sdkCheck = await withSdk(event);
  if (sdkCheck.statusCode !== 200) throw new Error(`the ingest with the stubbed SDK client refused the benchmark event: HTTP ${sdkCheck.statusCode} ${sdkCheck.body ?? ''}`);
  // Warm-up: both paths optimized by the JIT (and the heap grown) before anything counts.
  for (let pass = 0; pass < 3; pass += 1) {
    await cpuMsPerCall(options.iterations, floor);
    await cpuMsPerCall(options.iterations, ingest);
    await cpuMsPerCall(options.iterations, ingestWithSdk);
  }
  const floors: number[] = [];
  const ingests: number[] = [];
  const sdkRatios: number[] = [];
  for (let pass = 0; pass < options.rounds; pass += 1) {
    // Alternate which goes first, so neither always follows the other's garbage.
    if (pass % 2 === 0) {
      floors.push(await cpuMsPerCall(options.iterations, floor));
      ingests.push(await cpuMsPerCall(options.iterations, ingest));
    } else {
      ingests.push(await cpuMsPerCall(options.iterations, ingest));
      floors.push(await cpuMsPerCall(options.iterations, floor));
    }
    sdkRatios.push((await cpuMsPerCall(options.iterations, ingestWithSdk)) / (floors[floors.length - 1] as number));
  }
  const before = sent;
  const last = await handler(event);
  if (last.statusCode !== 200 || sent !== before + 1) throw new Error(`the ingest stopped accepting the benchmark event: HTTP ${last.statusCode}`);
  const ingestMs = median(ingests);
  const floorMs = median(floors);
  return {
    payloadBytes: Buffer.byteLength(signed.body),
    eventType,
    rounds: options.rounds,
    iterationsPerRound: options.iterations,
    ingestMs: round(ingestMs, 4),
    floorMs: round(floorMs, 4),
    ratio: round(ingestMs / floorMs),
    roundRatios: ingests.map((value, index) => round(value / (floors[index] as number))),
    withSdkMs: round(median(sdkRatios) * floorMs, 4),
    withSdkRatio: round(median(sdkRatios)),
    targetRatio: 2,
  };
};
