import { createLogger, withInvocationLogging } from '../adapters/logger';
import { createWorkerHandler, workerDependenciesFromEnv } from './create-handler';

const logger = createLogger({ serviceName: 'worker' });

/** Lambda entry point: wiring only; the logger and the DynamoDB client are built once per cold start. */
export const handler = withInvocationLogging(logger, createWorkerHandler(workerDependenciesFromEnv({ env: process.env, logger })));
