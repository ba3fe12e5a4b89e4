import { createLogger } from '../adapters/logger';
import { createWorkerHandler, workerDependenciesFromEnv } from './create-handler';

const logger = createLogger({ serviceName: 'worker' });

/** Lambda entry point: wiring only, built once per cold start. */
export const handler = createWorkerHandler(workerDependenciesFromEnv({ env: process.env, logger }));
