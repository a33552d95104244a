// The cron helper's arithmetic: is an expression valid, and when does it fire next, in the check's time zone.
import { Cron } from 'croner';

export interface NextRuns {
  error: string | null;
  runs: Date[];
}

export function nextRuns(expr: string, tz: string, count = 5, from = new Date()): NextRuns {
  if (expr.trim().split(/\s+/).length !== 5) return { error: 'Use 5 fields: minute hour day-of-month month day-of-week.', runs: [] };
  try {
    Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return { error: `Unknown time zone "${tz}".`, runs: [] };
  }
  try {
    const runs = new Cron(expr.trim(), { timezone: tz, paused: true }).nextRuns(count, from);
    return runs.length ? { error: null, runs } : { error: 'This expression never fires.', runs: [] };
  } catch (error) {
    return { error: (error as Error).message.replace(/^CronPattern: /, ''), runs: [] };
  }
}

/** A run time as it reads in the check's zone: "Mon, Mar 2, 02:00 CET". */
export function inZone(date: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(date);
}

/** Every IANA zone the browser knows, for the time-zone picker. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
