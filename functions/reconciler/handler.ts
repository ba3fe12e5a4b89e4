import { createLogger, withInvocationLogging } from '../adapters/logger';
import { createReconcilerClients, runReconciliation } from './create-handler';

const logger = createLogger({ serviceName: 'reconciler' });
const clients = createReconcilerClients();

/** Scheduled Lambda entry point: one run per invocation; a failure surfaces as a Lambda error (and its alarm). */
export const handler = withInvocationLogging(logger, async (): Promise<{ readonly scopes: number; readonly enqueued: number }> => {
  const reports = await runReconciliation({ env: process.env, logger, clients });
  const enqueued = reports.reduce((sum, report) => sum + report.missing.length, 0);
  logger.info('reconciliation finished', { scopes: reports.length, enqueued });
  return { scopes: reports.length, enqueued };
});
