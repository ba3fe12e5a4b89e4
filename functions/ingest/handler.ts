import { createLogger, withInvocationLogging } from '../adapters/logger';
import { createIngestHandler, ingestDependenciesFromEnv } from './create-handler';

const logger = createLogger({ serviceName: 'ingest' });

/** Lambda entry point: wiring only; the logger and the SQS (and Secrets Manager) clients are built once per cold start. */
export const handler = withInvocationLogging(logger, createIngestHandler({ deps: ingestDependenciesFromEnv(process.env, logger), logger }));
