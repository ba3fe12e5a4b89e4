import { createLogger } from '../adapters/logger';
import { createIngestHandler, ingestDependenciesFromEnv } from './create-handler';

/** Lambda entry point: wiring only, built once per cold start. */
export const handler = createIngestHandler({ deps: ingestDependenciesFromEnv(process.env), logger: createLogger({ serviceName: 'ingest' }) });
