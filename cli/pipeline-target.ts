import { createDocumentClient } from '../functions/adapters/dynamodb-documents';
import { cliAwsOptions } from './aws-options';
import { createDynamoDbAccountState } from '../functions/adapters/dynamodb-account-state';
import { createDynamoDbEventLedger } from '../functions/adapters/dynamodb-event-ledger';
import type { AccountStateReader, EventLedger } from '../functions/core/ports';
import { STATE_FILE, readPipelineState } from '../local/local-settings';
import type { PipelineState } from '../local/local-settings';
import { useEmulatorEndpoints } from '../local/pipeline';

/** Options every command accepts to choose the pipeline it talks to. */
export interface TargetOptions {
  readonly state?: string;
}

/** The local pipeline's state, or a clear error telling how to start one. */
export const loadTarget = (options: TargetOptions): PipelineState => {
  const state = readPipelineState(options.state ?? STATE_FILE);
  if (state === undefined) {
    throw new Error('No local pipeline is running in this checkout: start one with `npm start` (in another terminal).');
  }
  return state;
};

/** The ledger of the target pipeline, reached through the same adapter the worker uses. */
export const openLedger = (state: PipelineState): EventLedger => {
  useEmulatorEndpoints(state.endpoints);
  return createDynamoDbEventLedger({ client: createDocumentClient(cliAwsOptions()), tableName: state.resources.ledgerTableName, stateTableName: state.resources.stateTableName });
};

/** The Connect state table of the target pipeline, read through the adapter the worker's projections write with. */
export const openAccountState = (state: PipelineState): AccountStateReader => {
  useEmulatorEndpoints(state.endpoints);
  return createDynamoDbAccountState({ client: createDocumentClient(cliAwsOptions()), tableName: state.resources.stateTableName });
};
