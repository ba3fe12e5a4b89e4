import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Logger } from '../core/ports';

/** The core's `Logger` port over Powertools Logger, plus what a handler calls once per invocation. */
export interface FunctionLogger extends Logger {
  /** Adds the invocation's request id and cold-start flag to its lines, and redraws the debug sampling. */
  startInvocation(context: Context | undefined): void;
}

/**
 * Powertools Logger behind the core's port: one JSON object per line with `level`, `message`, `timestamp`,
 * `service`, `xray_trace_id` (when traced), then the call's attributes at the top level, which the stack's
 * metric filters (`lib/log-metrics.ts`) read. The level comes from Lambda's application log level
 * (`AWS_LAMBDA_LOG_LEVEL`), else `POWERTOOLS_LOG_LEVEL`; `POWERTOOLS_LOGGER_SAMPLE_RATE` turns debug lines on for
 * that share of invocations. The event's own keys (`eventId`, `eventType`, `account`, `livemode`) are passed with
 * each record's lines rather than appended to the logger, since a batch's records run side by side.
 */
export const createLogger = (options: { readonly serviceName: string }): FunctionLogger => {
  const logger = new PowertoolsLogger({ serviceName: options.serviceName });
  return {
    debug: (message, attributes) => logger.debug(message, attributes ?? {}),
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
    startInvocation(context) {
      if (context !== undefined) logger.addContext(context);
      logger.refreshSampleRateCalculation();
    },
  };
};

/** A Lambda handler whose invocations start with `logger.startInvocation`. */
export const withInvocationLogging =
  <Event, Result>(logger: FunctionLogger, handler: (event: Event, context?: Context) => Promise<Result>) =>
  (event: Event, context?: Context): Promise<Result> => {
    logger.startInvocation(context);
    return handler(event, context);
  };
