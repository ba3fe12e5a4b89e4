import type { AttributeValue, CancellationReason } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LedgerError, describeError } from '../core/errors';

/** Runs a DynamoDB call; any failure becomes a `LedgerError` that says what was being done (`what: <the SDK's reason>`). */
export const ledgerCall = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (cause) {
    throw new LedgerError({ detail: `${what}: ${describeError(cause)}`, cause });
  }
};

/** An AWS SDK error of the given type (`ConditionalCheckFailedException`, …): SDK errors are named by it. */
export const awsErrorNamed = (error: unknown, name: string): error is Error & Readonly<Record<string, unknown>> => error instanceof Error && error.name === name;

/**
 * The item a failed condition met (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`), with native values. The
 * document client does not unmarshall error fields, so the SDK error carries it as DynamoDB sent it.
 */
export const itemOfFailedCondition = (error: Error & Readonly<Record<string, unknown>>): Record<string, unknown> | undefined => {
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return item === undefined ? undefined : unmarshall(item);
};

/** Why each action of a cancelled transaction failed, in the order of the actions. */
export const cancellationReasonsOf = (error: Error & Readonly<Record<string, unknown>>): readonly CancellationReason[] =>
  (error.CancellationReasons as readonly CancellationReason[] | undefined) ?? [];
