import { describeError } from '../../functions/core/errors';

/** How one check ended: `fail` makes `doctor` exit 1; `warn` and `skip` do not. */
export const CheckStatus = { ok: 'ok', warn: 'warn', fail: 'fail', skip: 'skip' } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** One line of the doctor's checklist. */
export interface CheckResult {
  /** Stable id for scripts, e.g. `secrets.connect`. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about it; present for every `fail` and `warn`. */
  readonly fix?: string;
}

/** A check: an id, a title and how to run it. */
export interface Check {
  readonly id: string;
  readonly title: string;
  run(): Promise<Omit<CheckResult, 'id' | 'title'>>;
}

export const ok = (detail: string): Omit<CheckResult, 'id' | 'title'> => ({ status: CheckStatus.ok, detail });
export const skip = (detail: string): Omit<CheckResult, 'id' | 'title'> => ({ status: CheckStatus.skip, detail });
export const warn = (detail: string, fix: string): Omit<CheckResult, 'id' | 'title'> => ({ status: CheckStatus.warn, detail, fix });
export const fail = (detail: string, fix: string): Omit<CheckResult, 'id' | 'title'> => ({ status: CheckStatus.fail, detail, fix });

/**
 * Runs every check, one after another, so the checklist reads in order. A check that throws fails with the
 * error as its detail; it never stops the checks after it.
 */
export const runChecks = async (checks: readonly Check[], fixOnError: string): Promise<CheckResult[]> => {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push({ id: check.id, title: check.title, ...(await check.run()) });
    } catch (error) {
      results.push({ id: check.id, title: check.title, ...fail(`could not check: ${describeError(error)}`, fixOnError) });
    }
  }
  return results;
};

/** `4 min`, `2 h 5 min`, `3 d 1 h`: how long ago, for a person reading the checklist. */
export const formatAge = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
};

const MARK: Record<CheckStatus, string> = { ok: '[ ok ]', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' };

/** The checklist as a person reads it: one line per check, the fix under each failure or warning, a total. */
export const renderChecklist = (target: string, results: readonly CheckResult[]): string => {
  const width = Math.max(...results.map((result) => result.title.length));
  const lines = [`connect-webhooks doctor: ${target}`];
  for (const result of results) {
    lines.push(`${MARK[result.status]} ${result.title.padEnd(width)}  ${result.detail}`);
    if (result.fix !== undefined) lines.push(`${' '.repeat(7)}fix: ${result.fix}`);
  }
  const count = (status: CheckStatus) => results.filter((result) => result.status === status).length;
  lines.push(`${count('ok')} ok, ${count('warn')} warnings, ${count('fail')} failed, ${count('skip')} skipped`);
  return lines.join('\n');
};
