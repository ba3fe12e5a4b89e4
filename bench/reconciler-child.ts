/**
 * One reconciler run in a process of its own, so its peak RSS is its own: started by bench/reconciler-scale.ts with
 * the tables, the queue and the fake Stripe in argv (JSON). A middleware on the DynamoDB client asks every request
 * for `ReturnConsumedCapacity: TOTAL` and sums what DynamoDB Local reports; the result is printed as one JSON line.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createSqsClient } from '../functions/adapters/aws-clients';
import { createSqsEventQueue } from '../functions/adapters/sqs-event-queue';
import type { Logger } from '../functions/core/ports';
import { reconcileWith } from '../functions/reconciler/create-handler';
import { useEmulatorEndpoints } from '../local/pipeline';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** What the parent passes. */
export interface ReconcilerChildInput {
  readonly dynamoDb: string;
  readonly sqs: string;
  readonly ledgerTableName: string;
  readonly stateTableName: string;
  readonly queueUrl: string;
  readonly stripeBaseUrl: string;
  readonly apiKey: string;
}

/** What it prints. */
export interface ReconcilerChildResult {
  readonly wallMs: number;
  readonly rssBeforeRunMb: number;
  readonly peakRssMb: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly requests: Readonly<Record<string, number>>;
  readonly status: string;
  readonly scopes: number;
  readonly skipped: number;
  readonly failed: number;
  readonly listed: number;
  readonly enqueued: number;
}

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

const countingClient = () => {
  const client = new DynamoDBClient({ maxAttempts: 3 });
  const requests: Record<string, number> = {};
  const units = { read: 0, write: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const command = String(context.commandName ?? 'unknown');
      requests[command] = (requests[command] ?? 0) + 1;
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      for (const entry of [consumed ?? []].flat()) {
        const total = entry.CapacityUnits ?? 0;
        if (/^(Get|BatchGet|Query|Scan)/.test(command)) units.read += entry.ReadCapacityUnits ?? total;
        else units.write += entry.WriteCapacityUnits ?? total;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );
  return { documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), requests, units };
};

const main = async (): Promise<void> => {
  const input = JSON.parse(process.argv[2] ?? '{}') as ReconcilerChildInput;
  useEmulatorEndpoints({ dynamoDb: input.dynamoDb, sqs: input.sqs });
  const { documentClient, requests, units } = countingClient();
  const rssBeforeRunMb = process.memoryUsage().rss / 2 ** 20;
  const start = process.hrtime.bigint();
  const report = await reconcileWith({
    apiKey: input.apiKey,
    stripeBaseUrl: input.stripeBaseUrl,
    documentClient,
    ledgerTableName: input.ledgerTableName,
    stateTableName: input.stateTableName,
    queue: createSqsEventQueue({ client: createSqsClient(), queueUrl: input.queueUrl }),
    accounts: [],
    activeDays: 7,
    logger: silent,
    deadlineMs: Number.POSITIVE_INFINITY,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const result: ReconcilerChildResult = {
    wallMs,
    rssBeforeRunMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    readUnits: units.read,
    writeUnits: units.write,
    requests,
    status: report.status,
    scopes: report.plan.accounts.length + 1,
    skipped: report.plan.skipped.length,
    failed: report.failures.length,
    listed: report.reports.reduce((sum, entry) => sum + entry.listed, 0),
    enqueued: report.reports.reduce((sum, entry) => sum + entry.missing.length, 0),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`reconciler child: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
