// A schedule in words: "every 5 minutes", "at 02:00 Europe/Berlin", "every hour at :15", or the cron line itself.
// Cron expressions are put in words by cron-words.ts.
import type { Schedule } from '../api/types';
import { cronInWords } from './cron-words';

export { cronInWords };

function every(n: number, word: string): string {
  return n === 1 ? `every ${word}` : `every ${n} ${word}s`;
}

export function intervalInWords(periodS: number): string {
  if (periodS % 604800 === 0) return every(periodS / 604800, 'week');
  if (periodS % 86400 === 0) return every(periodS / 86400, 'day');
  if (periodS % 3600 === 0) return every(periodS / 3600, 'hour');
  if (periodS % 60 === 0) return every(periodS / 60, 'minute');
  return every(periodS, 'second');
}

/** The whole schedule in words, with the time zone for cron schedules. */
export function scheduleInWords(schedule: Schedule): string {
  if (schedule.kind === 'interval') return intervalInWords(schedule.period_s);
  if (schedule.kind === 'oncalendar') return `OnCalendar ${schedule.expr.replace(/\s*\n\s*/g, '; ')} ${schedule.tz || 'UTC'}`;
  const words = cronInWords(schedule.expr);
  const zone = schedule.tz || 'UTC';
  if (!words) return `cron ${schedule.expr} ${zone}`;
  // The zone matters only when the words name a time of day, days or months ("every 5 minutes" is the same anywhere).
  return /\d\d:\d\d| on | in | from /.test(words) ? `${words} ${zone}` : words;
}
