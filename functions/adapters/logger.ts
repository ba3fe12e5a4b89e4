import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../core/ports';

/** One structured JSON line per call, with the service name; level from `POWERTOOLS_LOG_LEVEL` (default INFO). */
export const createLogger = (options: { readonly serviceName: string }): Logger => {
  const logger = new PowertoolsLogger({ serviceName: options.serviceName });
  return {
    debug: (message, attributes) => logger.debug(message, attributes ?? {}),
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
  };
};
