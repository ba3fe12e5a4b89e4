import { createLogger } from '../../functions/adapters/logger';

/** Runs `act` with the logger's environment set and both streams recorded, one parsed object per line. */
const recording = (env: Record<string, string>, act: () => void) => {
  const saved = { ...process.env };
  const out: Array<Record<string, unknown>> = [];
  const err: Array<Record<string, unknown>> = [];
  const parse = (into: Array<Record<string, unknown>>) => (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter((text) => text.trim() !== '')) into.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(parse(out));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(parse(err));
  for (const name of ['AWS_LAMBDA_LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'POWERTOOLS_DEV', '_X_AMZN_TRACE_ID', 'POWERTOOLS_LOGGER_SAMPLE_RATE']) delete process.env[name];
  Object.assign(process.env, env);
  try {
    act();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.env = saved;
  }
  return { out, err };
};

describe('createLogger (Powertools Logger behind the core port)', () => {
  it('writes one JSON line with the keys the metric filters read, the attributes at the top level', () => {
    // Act
    const { out } = recording({ _X_AMZN_TRACE_ID: 'Root=1-abc-def;Parent=x;Sampled=0' }, () => {
      createLogger({ serviceName: 'worker' }).info('event processed', { eventId: 'evt_1', eventType: 'account.updated', account: 'acct_1', livemode: false, applied: 1, stale: 0, lagMs: 42 });
    });
    // Assess
    expect(out).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'event processed',
        timestamp: expect.any(String),
        service: 'worker',
        xray_trace_id: '1-abc-def',
        eventId: 'evt_1',
        eventType: 'account.updated',
        account: 'acct_1',
        livemode: false,
        applied: 1,
        stale: 0,
        lagMs: 42,
      }),
    ]);
  });

  it('drops lines below the level, Lambda’s application log level first', () => {
    // Act
    const { out, err } = recording({ AWS_LAMBDA_LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'DEBUG' }, () => {
      const logger = createLogger({ serviceName: 's' });
      logger.info('dropped');
      logger.warn('kept');
    });
    // Assess
    expect([...out, ...err].map((line) => line.message)).toEqual(['kept']);
  });

  it('writes debug lines for a sampled invocation even at INFO', () => {
    // Act
    const { out } = recording({ POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_LOGGER_SAMPLE_RATE: '1' }, () => {
      const logger = createLogger({ serviceName: 's' });
      logger.startInvocation(undefined);
      logger.debug('sampled detail', { eventId: 'evt_2' });
    });
    // Assess
    expect(out.filter((line) => line.message === 'sampled detail')).toEqual([expect.objectContaining({ level: 'DEBUG', eventId: 'evt_2', sampling_rate: 1 })]);
  });

  it('adds the invocation’s request id once the handler starts it', () => {
    // Prepare
    const context = { functionName: 'worker', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:worker', memoryLimitInMB: '256', awsRequestId: 'req-1' };
    // Act
    const { out } = recording({}, () => {
      const logger = createLogger({ serviceName: 's' });
      logger.startInvocation(context as unknown as Parameters<typeof logger.startInvocation>[0]);
      logger.info('event processed');
    });
    // Assess
    expect(out[out.length - 1]).toMatchObject({ message: 'event processed', function_request_id: 'req-1', function_name: 'worker' });
  });

  it('writes errors as their fields instead of failing', () => {
    // Act
    const { out, err } = recording({}, () => {
      createLogger({ serviceName: 's' }).error('failed', { error: new TypeError('bad') });
    });
    // Assess
    expect([...out, ...err]).toEqual([expect.objectContaining({ level: 'ERROR', message: 'failed', error: expect.objectContaining({ name: 'TypeError', message: 'bad' }) })]);
  });
});
