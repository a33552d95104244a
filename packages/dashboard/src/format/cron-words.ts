// A cron expression in words: "every 15 minutes from 09:00 to 17:45 on weekdays", "at 02:00 on the 1st of the
// month". Pure; null for shapes it cannot say well (the caller then shows the expression itself).

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** One field: every value, a step over everything ("*\/n"), or the values it lists (ranges and steps expanded). */
type Parsed = { kind: 'any' } | { kind: 'step'; step: number } | { kind: 'values'; values: number[]; range: [number, number] | null };

function parseField(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Parsed | null {
  if (text === '*' || text === '?') return { kind: 'any' };
  const step = /^(?:\*|(\d+)-(\d+))?\/(\d+)$/.exec(text);
  if (/^\*\/\d+$/.test(text) && step) {
    const n = Number(step[3]);
    return n >= 1 && n <= max ? (n === 1 ? { kind: 'any' } : { kind: 'step', step: n }) : null;
  }
  const value = (v: string): number | null => {
    const named = names.indexOf(v.toUpperCase());
    if (named >= 0) return named + nameBase;
    return /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : null;
  };
  const values = new Set<number>();
  let range: [number, number] | null = null;
  const parts = text.split(',');
  for (const part of parts) {
    const m = /^([^-/]+)(?:-([^/]+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const from = value(m[1]);
    const to = m[2] != null ? value(m[2]) : from;
    const by = m[3] != null ? Number(m[3]) : 1;
    if (from == null || to == null || to < from || by < 1) return null;
    if (parts.length === 1 && m[2] != null && by === 1) range = [from, to];
    for (let v = from; v <= to; v += by) values.add(v);
  }
  return { kind: 'values', values: [...values].sort((a, b) => a - b), range };
}

const two = (n: number) => String(n).padStart(2, '0');
const hhmm = (h: number, m: number) => `${two(h)}:${two(m)}`;

function and(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : items[0];
}

function every(n: number, word: string): string {
  return n === 1 ? `every ${word}` : `every ${n} ${word}s`;
}

function ordinal(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${tail}`;
}

/** The minutes of an hour a field fires at: its values, or those of a step. */
function minutesOf(field: Parsed): number[] | null {
  if (field.kind === 'values') return field.values;
  if (field.kind === 'step') return Array.from({ length: Math.ceil(60 / field.step) }, (_, i) => i * field.step);
  return null;
}

function timeOfDay(min: Parsed, hour: Parsed): string | null {
  if (min.kind === 'any' && hour.kind === 'any') return 'every minute';
  if (min.kind === 'step' && hour.kind === 'any') return every(min.step, 'minute');
  if (min.kind === 'values' && hour.kind === 'any') {
    if (min.values.length === 1 && min.values[0] === 0) return 'every hour';
    return min.values.length <= 4 ? `every hour at ${and(min.values.map((m) => `:${two(m)}`))}` : null;
  }
  if (min.kind === 'values' && min.values.length === 1 && hour.kind === 'step') {
    return `${every(hour.step, 'hour')}${min.values[0] ? ` at :${two(min.values[0])}` : ''}`;
  }
  if (hour.kind !== 'values') return null;
  const hours = hour.values;
  // A window of hours: "every 15 minutes from 09:00 to 17:45", "every hour from 09:00 to 17:00".
  const contiguous = hour.range != null || (hours.length > 1 && hours.every((h, i) => i === 0 || h === hours[i - 1] + 1));
  const minutes = min.kind === 'any' ? Array.from({ length: 60 }, (_, i) => i) : minutesOf(min)!;
  if (contiguous && hours.length > 1) {
    const from = hhmm(hours[0], minutes[0]);
    const to = hhmm(hours[hours.length - 1], minutes[minutes.length - 1]);
    if (min.kind === 'any') return `every minute from ${from} to ${to}`;
    if (min.kind === 'step') return `${every(min.step, 'minute')} from ${from} to ${to}`;
    if (minutes.length === 1) return `every hour from ${from} to ${to}`;
    return null;
  }
  if (min.kind !== 'values') {
    // Within single hours: "every 5 minutes from 09:00 to 09:55".
    if (hours.length !== 1) return null;
    const prefix = min.kind === 'any' ? 'every minute' : every(min.step, 'minute');
    return `${prefix} from ${hhmm(hours[0], minutes[0])} to ${hhmm(hours[0], minutes[minutes.length - 1])}`;
  }
  if (hours.length * minutes.length > 6) return null;
  const times = hours.flatMap((h) => minutes.map((m) => hhmm(h, m)));
  return `at ${and(times)}`;
}

function daysOfWeek(field: Parsed): string | null {
  if (field.kind !== 'values') return null;
  const days = [...new Set(field.values.map((d) => d % 7))].sort((a, b) => a - b);
  if (days.length === 7) return '';
  if (days.join() === '1,2,3,4,5') return 'on weekdays';
  if (days.join() === '0,6') return 'on weekends';
  if (field.range && field.range[1] - field.range[0] >= 2) return `from ${DAYS[field.range[0] % 7]} to ${DAYS[field.range[1] % 7]}`;
  return `on ${and(days.map((d) => DAYS[d]))}`;
}

function daysOfMonth(text: string): string | null {
  if (text.toUpperCase() === 'L') return 'on the last day of the month';
  const field = parseField(text, 1, 31);
  if (!field || field.kind === 'any') return field ? '' : null;
  if (field.kind === 'step') return `every ${ordinal(field.step)} day of the month`;
  if (field.values.length > 5)
    return field.range ? `on the ${ordinal(field.range[0])} to the ${ordinal(field.range[1])} of the month` : null;
  return `on the ${and(field.values.map(ordinal))} of the month`;
}

function months(field: Parsed): string | null {
  if (field.kind === 'any') return '';
  if (field.kind === 'step') return null;
  if (field.values.length === 12) return '';
  if (field.range && field.range[1] - field.range[0] >= 2) return `from ${MONTHS[field.range[0] - 1]} to ${MONTHS[field.range[1] - 1]}`;
  return `in ${and(field.values.map((m) => MONTHS[m - 1]))}`;
}

/** The cron expression in words, or null when it is not a shape this can say clearly. */
export function cronInWords(expr: string): string | null {
  const text = NICKNAMES[expr.trim().toLowerCase()] ?? expr.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return null;
  const [minText, hourText, domText, monthText, dowText] = fields;
  const min = parseField(minText, 0, 59);
  const hour = parseField(hourText, 0, 23);
  const month = parseField(monthText, 1, 12, MONTH_NAMES, 1);
  const dow = parseField(dowText, 0, 7, DAY_NAMES);
  if (!min || !hour || !month || !dow) return null;
  const time = timeOfDay(min, hour);
  if (time == null) return null;
  const dom = domText === '*' || domText === '?' ? '' : daysOfMonth(domText);
  const week = dow.kind === 'any' ? '' : daysOfWeek(dow);
  const inMonths = months(month);
  if (dom == null || week == null || inMonths == null) return null;
  // With both a day of the month and a day of the week, cron fires on either.
  const days = dom && week ? `${dom} and ${week.replace(/^on /, 'on every ')}` : dom || week;
  return [time, days, inMonths].filter(Boolean).join(' ');
}
