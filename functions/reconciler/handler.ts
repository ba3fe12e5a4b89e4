import { createLogger, withInvocationLogging } from '../adapters/logger';
import { createReconcilerClients, runReconciliation } from './create-handler';

const logger = createLogger({ serviceName: 'reconciler' });
const clients = createReconcilerClients();

/** When Lambda passes no context (a direct call): the function's 5-minute timeout. */
const DEFAULT_REMAINING_MS = 5 * 60_000;

/**
 * Scheduled Lambda entry point: one run per invocation, stopping cleanly before the timeout (the next run
 * continues). A failed scope is logged and counted, not thrown; only a run that cannot start (no API key, the
 * lease or the tables unreachable) fails the invocation (and raises its alarm).
 */
export const handler = withInvocationLogging(logger, async (_event: unknown, context) => {
  const remainingMs = context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS;
  const report = await runReconciliation({ env: process.env, logger, clients, remainingMs });
  const enqueued = report.reports.reduce((sum, scope) => sum + scope.missing.length, 0);
  const summary = { status: report.status, scopes: report.plan.accounts.length + 1, skipped: report.plan.skipped.length, failed: report.failures.length, enqueued, ...(report.resumeAt === undefined ? {} : { resumeAt: report.resumeAt }) };
  logger.info('reconciliation finished', summary);
  return summary;
});
