import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RECONCILER_PARTITION } from '../../functions/core/state/account-keys';
import { STATE_KEY } from '../../functions/adapters/dynamodb-state-commit';
import { isWebhookSigningSecret } from '../../functions/adapters/webhook-secret-document';
import type { DoctorRoute } from './probe';
import { DOCTOR_ROUTES } from './probe';

/**
 * Each route's signing secrets from the webhook secret's JSON text; a route the document does not have is
 * undefined. Read loosely (unlike the ingest): the doctor reports what is there, whatever else is wrong.
 */
export const secretListsOf = (text: string | undefined): Partial<Record<DoctorRoute, readonly string[]>> => {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the webhook secret is not valid JSON; expected {"account":["whsec_…"],"connect":["whsec_…"]}');
  }
  const document = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  return Object.fromEntries(
    DOCTOR_ROUTES.flatMap((route) => {
      const list = document[route];
      return Array.isArray(list) ? [[route, list.filter(isWebhookSigningSecret)]] : [];
    }),
  );
};

/** Messages in the DLQ, visible or in flight. */
export const deadLetterDepthOf = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
  const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(result.Attributes?.[name] ?? 0), 0);
};

/** One page of a DynamoDB query or scan, as the document client returns it. */
type Page = { readonly Items?: ReadonlyArray<Record<string, unknown>>; readonly LastEvaluatedKey?: Record<string, unknown> };

/** The newest ISO timestamp held in `attribute` over every page `read` returns (epoch ms), or undefined when none. */
export const newestTimestamp = async (attribute: string, read: (startKey: Record<string, unknown> | undefined) => Promise<Page>): Promise<number | undefined> => {
  let newest: number | undefined;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await read(startKey);
    for (const item of page.Items ?? []) {
      const value = item[attribute];
      const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (!Number.isNaN(at)) newest = Math.max(newest ?? at, at);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return newest;
};

/** The newest `updatedAt` of the reconciler's cursors: one small partition of the state table, one query. */
export const lastReconcilerCursorAt = (client: DynamoDBDocumentClient, tableName: string): Promise<number | undefined> =>
  newestTimestamp('updatedAt', (startKey) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :cursor)',
        ExpressionAttributeNames: { '#pk': STATE_KEY.partition, '#sk': STATE_KEY.item, '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':pk': RECONCILER_PARTITION, ':cursor': 'CURSOR#' },
        ProjectionExpression: '#updatedAt',
        ExclusiveStartKey: startKey,
      }),
    ),
  );
