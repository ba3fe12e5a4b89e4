import type { Command } from 'commander';
import { createDocumentClient } from '../functions/adapters/dynamodb-documents';
import { createDynamoDbAccountState } from '../functions/adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../functions/adapters/dynamodb-event-ledger';
import type { AccountStateReader, EventLedger } from '../functions/core/ports';
import { cliAwsOptions } from './aws-options';
import { UsageError } from './cli-errors';
import { loadTarget, openAccountState, openLedger } from './pipeline-target';
import { loadStackTarget } from './stack-target';
import type { StackTarget } from './stack-target';

/** Options of the commands that reach either the local pipeline (default) or a deployed stack. */
export interface TargetOptions {
  /** State file of the local pipeline. */
  readonly state?: string;
  /** Name of a deployed CloudFormation stack. */
  readonly stack?: string;
  readonly region?: string;
}

/** Adds `--stack` and `--region`, so a command reaches a deployed stack instead of the local pipeline. */
export const withStackOptions = (command: Command): Command =>
  command
    .option('--stack <name>', 'a deployed StripeConnectWebhooks stack (CloudFormation stack name) instead of the local pipeline')
    .option('--region <region>', 'AWS region of the stack (default: AWS_REGION or your profile)');

/** The deployed stack named by `--stack`, with its region resolved, or undefined for the local pipeline. */
export const stackTargetOf = async (options: TargetOptions): Promise<StackTarget | undefined> => {
  if (options.stack === undefined) {
    // A region alone would be silently ignored: the local pipeline has its own.
    if (options.region !== undefined) throw new UsageError('--region applies to a deployed stack: pass --stack <name> with it.');
    return undefined;
  }
  return loadStackTarget({ stack: options.stack, region: options.region });
};

/** The event ledger of the deployed stack or of the local pipeline, through the adapter the worker uses. */
export const openLedgerFor = async (options: TargetOptions): Promise<EventLedger> => {
  const stack = await stackTargetOf(options);
  if (stack === undefined) return openLedger(loadTarget(options));
  return createDynamoDbEventLedger({
    client: createDocumentClient(cliAwsOptions(stack.region)),
    tableName: stack.resource('ledgerTableName'),
    stateTableName: stack.resource('stateTableName'),
  });
};

/** The Connect state table of the deployed stack or of the local pipeline. */
export const openAccountStateFor = async (options: TargetOptions): Promise<AccountStateReader> => {
  const stack = await stackTargetOf(options);
  if (stack === undefined) return openAccountState(loadTarget(options));
  return createDynamoDbAccountState({
    client: createDocumentClient(cliAwsOptions(stack.region)),
    tableName: stack.resource('stateTableName'),
  });
};
