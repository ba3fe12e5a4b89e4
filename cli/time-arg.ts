import { InvalidArgumentError } from 'commander';
import { UsageError } from './cli-errors';

const UNITS: Readonly<Record<string, number>> = { m: 60, h: 3600, d: 86_400 };

/**
 * A point in time for `--since` / `--until`, in epoch seconds: an ISO date or time (`2026-11-20`,
 * `2026-11-20T10:00:00Z`), a duration ago (`90m`, `6h`, `3d`) or epoch seconds.
 */
export const parseTimeArg = (value: string, nowMs: number = Date.now()): number => {
  const relative = /^(\d+)([mhd])$/.exec(value.trim());
  if (relative !== null) return Math.floor(nowMs / 1000) - Number(relative[1]) * (UNITS[relative[2] ?? 'm'] ?? 60);
  if (/^\d{9,11}$/.test(value.trim())) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new InvalidArgumentError('expected an ISO date/time, a duration ago such as 6h or 3d, or epoch seconds');
  return Math.floor(parsed / 1000);
};

/** `--since` / `--until` as given: refused (exit 2) when the end is not after the start, which no event could match. */
export const checkTimeRange = (range: { readonly since: number; readonly until?: number | undefined }): void => {
  if (range.until === undefined || range.until > range.since) return;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  throw new UsageError(`--until (${iso(range.until)}) must be after --since (${iso(range.since)}): no event is created in that range.`);
};
