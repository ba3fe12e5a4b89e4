import { createLogger, logLevelFromEnv } from '../../functions/adapters/logger';
import type { LogSink } from '../../functions/adapters/logger';

/** A sink that keeps each stream's lines, parsed. */
const recordingSink = () => {
  const out: Array<Record<string, unknown>> = [];
  const err: Array<Record<string, unknown>> = [];
  const sink: LogSink = { out: (line) => out.push(JSON.parse(line) as Record<string, unknown>), err: (line) => err.push(JSON.parse(line) as Record<string, unknown>) };
  return { sink, out, err };
};

describe('createLogger', () => {
  it('writes one JSON line in the Powertools shape the metric filters read', () => {
    // Prepare
    const { sink, out } = recordingSink();
    const logger = createLogger({ serviceName: 'worker', env: { _X_AMZN_TRACE_ID: 'Root=1-abc-def;Parent=x;Sampled=0' }, sink });
    // Act
    logger.info('event processed', { eventId: 'evt_1', applied: 1, lagMs: 42 });
    // Assess
    expect(out).toEqual([
      { level: 'INFO', message: 'event processed', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'worker', xray_trace_id: '1-abc-def', eventId: 'evt_1', applied: 1, lagMs: 42 },
    ]);
  });

  it('sends warnings and errors to stderr, the rest to stdout', () => {
    // Prepare
    const { sink, out, err } = recordingSink();
    const logger = createLogger({ serviceName: 's', env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' }, sink });
    // Act
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    // Assess
    expect(out.map((line) => line.level)).toEqual(['DEBUG', 'INFO']);
    expect(err.map((line) => line.level)).toEqual(['WARN', 'ERROR']);
  });

  it('drops lines below the level, Lambda’s application log level first', () => {
    // Prepare
    const { sink, out, err } = recordingSink();
    const logger = createLogger({ serviceName: 's', env: { AWS_LAMBDA_LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'DEBUG' }, sink });
    // Act
    logger.info('dropped');
    logger.warn('kept');
    // Assess
    expect(out).toEqual([]);
    expect(err.map((line) => line.message)).toEqual(['kept']);
  });

  it('keeps the standard keys when an attribute has the same name', () => {
    // Prepare
    const { sink, out } = recordingSink();
    const logger = createLogger({ serviceName: 'ingest', env: {}, sink });
    // Act
    logger.info('event enqueued', { message: 'spoofed', level: 'ERROR', service: 'other', constructor: 'kept' });
    // Assess
    expect(out[0]).toMatchObject({ message: 'event enqueued', level: 'INFO', service: 'ingest', constructor: 'kept' });
  });

  it('writes errors, bigints and circular references instead of failing', () => {
    // Prepare
    const { sink, err } = recordingSink();
    const logger = createLogger({ serviceName: 's', env: {}, sink });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    // Act
    logger.error('failed', { error: new TypeError('bad', { cause: 'root' }), big: 12n, circular });
    // Assess
    expect(err[0]).toMatchObject({ error: { name: 'TypeError', message: 'bad', cause: 'root', stack: expect.stringContaining('TypeError: bad') }, big: '12', circular: { name: 'loop', self: '[Circular]' } });
  });
});

describe('logLevelFromEnv', () => {
  it.each([
    [{}, 12],
    [{ POWERTOOLS_LOG_LEVEL: 'silent' }, 28],
    [{ LOG_LEVEL: 'debug' }, 8],
    [{ AWS_LAMBDA_LOG_LEVEL: 'TRACE', POWERTOOLS_LOG_LEVEL: 'ERROR' }, 6],
    [{ POWERTOOLS_LOG_LEVEL: 'loud' }, 12],
  ])('reads %j as %i', (env, level) => {
    // Act / Assess
    expect(logLevelFromEnv(env)).toBe(level);
  });
});
