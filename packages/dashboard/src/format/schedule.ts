// A schedule in words: "every 5 minutes", "at 02:00 Europe/Berlin", "every hour at :15", or the cron line itself.
import type { Schedule } from '../api/types';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

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

const num = (text: string, max: number) => (/^\d+$/.test(text) && Number(text) <= max ? Number(text) : null);
const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

function days(field: string): string | null {
  if (field === '*') return '';
  if (field === '1-5' || field.toUpperCase() === 'MON-FRI') return ' on weekdays';
  if (field === '0,6' || field === '6,0') return ' on weekends';
  const parts = field.split(',').map((d) => num(d, 7));
  if (parts.some((d) => d == null)) return null;
  const names = parts.map((d) => DAYS[d! % 7]);
  return ` on ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]}`;
}

function ordinal(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${tail}`;
}

/** The cron expression in words when it is a common shape; null otherwise. */
export function cronInWords(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [min, hour, dom, month, dow] = fields;
  if (month !== '*') return null;
  if (min === '*' && hour === '*' && dom === '*' && dow === '*') return 'every minute';
  const step = /^\*\/(\d+)$/;
  if (step.test(min) && hour === '*' && dom === '*' && dow === '*') return every(Number(step.exec(min)![1]), 'minute');
  const m = num(min, 59);
  if (m == null) return null;
  if (hour === '*' && dom === '*' && dow === '*') return m === 0 ? 'every hour' : `every hour at :${String(m).padStart(2, '0')}`;
  if (step.test(hour) && dom === '*' && dow === '*') return `${every(Number(step.exec(hour)![1]), 'hour')}${m ? ` at :${String(m).padStart(2, '0')}` : ''}`;
  const hours = hour.split(',').map((h) => num(h, 23));
  if (hours.some((h) => h == null) || hours.length > 4) return null;
  const at = `at ${hours.map((h) => hhmm(h!, m)).join(hours.length === 2 ? ' and ' : ', ')}`;
  if (dom !== '*' && dow !== '*') return null;
  if (dom !== '*') {
    const d = num(dom, 31);
    return d == null ? null : `${at} on the ${ordinal(d)} of the month`;
  }
  const on = days(dow);
  return on == null ? null : `${at}${on}`;
}

/** The whole schedule in words, with the time zone for cron schedules. */
export function scheduleInWords(schedule: Schedule): string {
  if (schedule.kind === 'interval') return intervalInWords(schedule.period_s);
  if (schedule.kind === 'oncalendar') return `OnCalendar ${schedule.expr.replace(/\s*\n\s*/g, '; ')} ${schedule.tz || 'UTC'}`;
  const words = cronInWords(schedule.expr);
  const zone = schedule.tz || 'UTC';
  if (!words) return `cron ${schedule.expr} ${zone}`;
  // The zone matters only when the words name a time of day.
  return /\d\d:\d\d/.test(words) ? `${words} ${zone}` : words;
}
