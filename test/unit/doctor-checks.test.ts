import { formatAge, renderChecklist, runChecks } from '../../cli/doctor/check';
import { deadLetterCheck, queueAgeCheck, reconcilerCheck } from '../../cli/doctor/pipeline-checks';
import type { DoctorProbe } from '../../cli/doctor/probe';

const NOW = Date.parse('2026-12-03T10:00:00.000Z');

/** A deployed stack's probe whose reads answer as given; any read not given throws, as an unreachable service would. */
const stackProbe = (answers: Partial<DoctorProbe>): DoctorProbe => {
  const unreachable = () => Promise.reject(new Error('connect ECONNREFUSED'));
  return {
    target: 'stack Test (us-east-1)',
    hasStripeEndpoints: true,
    reconcilerScheduled: true,
    cli: (command) => `npx connect-webhooks ${command} --stack Test`,
    apiKeyFix: 'store a key',
    processedLookbackSeconds: 86_400,
    setupProblems: async () => [],
    setupSummary: () => 'fine',
    routeUrls: () => ({}),
    secretLists: unreachable,
    stripeApiKey: unreachable,
    deadLetterDepth: unreachable,
    oldestMessageAgeSeconds: unreachable,
    lastProcessedAt: unreachable,
    reconcilerLastRunAt: unreachable,
    alarmsInAlarm: unreachable,
    close: () => undefined,
    ...answers,
  };
};

describe('doctor checks', () => {
  test('a scheduled reconciler whose last cursor is two hours old fails, with the log and the API key as the fix', async () => {
    // Prepare
    const probe = stackProbe({ reconcilerLastRunAt: async () => NOW - 2 * 3600_000 });

    // Act
    const [result] = await runChecks([reconcilerCheck(probe, NOW)], 'retry');

    // Assess
    expect(result).toEqual(expect.objectContaining({ status: 'fail', detail: expect.stringContaining('2 h 0 min ago'), fix: expect.stringContaining('reconciler log') }));
  });

  test('a reconciler that is not scheduled (the local pipeline) is skipped when it never ran, not failed', async () => {
    // Prepare
    const probe = { ...stackProbe({ reconcilerLastRunAt: async () => undefined }), reconcilerScheduled: false };

    // Act
    const [result] = await runChecks([reconcilerCheck(probe, NOW)], 'retry');

    // Assess
    expect(result).toEqual(expect.objectContaining({ status: 'skip', detail: expect.stringContaining('reconcile --since 1d --stack Test') }));
  });

  test('a check whose read throws fails alone, with the error and the generic fix; the checks after it still run', async () => {
    // Prepare
    const probe = stackProbe({ oldestMessageAgeSeconds: async () => 30 });

    // Act
    const results = await runChecks([deadLetterCheck(probe), queueAgeCheck(probe)], 'check your AWS credentials');

    // Assess
    expect(results).toEqual([
      expect.objectContaining({ id: 'dead-letter-queue', status: 'fail', detail: 'could not check: Error: connect ECONNREFUSED', fix: 'check your AWS credentials' }),
      expect.objectContaining({ id: 'queue-age', status: 'ok', detail: '30 s old' }),
    ]);
  });

  test('the checklist prints the fix under each failure and counts every status', () => {
    // Prepare
    const results = [
      { id: 'a', title: 'first', status: 'ok', detail: 'fine' },
      { id: 'b', title: 'second check', status: 'fail', detail: 'broken', fix: 'do this' },
    ] as const;

    // Act
    const text = renderChecklist('stack Test', results);

    // Assess
    expect(text.split('\n')).toEqual([
      'connect-webhooks doctor: stack Test',
      '[ ok ] first         fine',
      '[FAIL] second check  broken',
      '       fix: do this',
      '1 ok, 0 warnings, 1 failed, 0 skipped',
    ]);
  });

  test.each([
    [42, '42 s'],
    [15 * 60, '15 min'],
    [2 * 3600 + 5 * 60, '2 h 5 min'],
    [3 * 86_400 + 3600, '3 d 1 h'],
  ])('formatAge(%d) is "%s"', (seconds, text) => {
    // Act
    const formatted = formatAge(seconds);

    // Assess
    expect(formatted).toBe(text);
  });
});
