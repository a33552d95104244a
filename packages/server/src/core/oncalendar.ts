// systemd OnCalendar expressions ("Mon..Fri 09:00", "*-*-* 02:00:00", "daily", "*-*~1 12:00 Europe/Riga"),
// translated into the cron patterns the schedule already runs on (croner's 7-field form: second … year), so an
// OnCalendar check is timed by the same machinery as a cron check. Pure: text in, patterns or a sentence out.

/** One expression line as cron: `pattern` is "sec min hour day month weekday year"; `tz` when the line names one. */
export interface CalendarPattern {
  pattern: string;
  tz: string | null;
}

/** systemd's shorthands (systemd.time(7), "Calendar Events"). */
const SHORTHANDS: Record<string, string> = {
  minutely: '*-*-* *:*:00',
  hourly: '*-*-* *:00:00',
  daily: '*-*-* 00:00:00',
  monthly: '*-*-01 00:00:00',
  weekly: 'Mon *-*-* 00:00:00',
  yearly: '*-01-01 00:00:00',
  annually: '*-01-01 00:00:00',
  quarterly: '*-01,04,07,10-01 00:00:00',
  semiannually: '*-01,07-01 00:00:00',
};

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type Range = { name: string; min: number; max: number };
const YEAR: Range = { name: 'year', min: 1970, max: 2199 };
const MONTH: Range = { name: 'month', min: 1, max: 12 };
const DAY: Range = { name: 'day', min: 1, max: 31 };
const HOUR: Range = { name: 'hour', min: 0, max: 23 };
const MINUTE: Range = { name: 'minute', min: 0, max: 59 };
const SECOND: Range = { name: 'second', min: 0, max: 59 };

class CalendarError extends Error {}
const refuse = (message: string): never => {
  throw new CalendarError(message);
};

/** A weekday name (three letters or in full, any case) → 0 (Sunday) … 6. */
function weekday(text: string): number {
  const lower = text.toLowerCase();
  const index = WEEKDAYS.findIndex((name) => lower.length >= 3 && name.startsWith(lower) && (lower.length === 3 || lower === name));
  if (index < 0) refuse(`"${text}" is not a weekday; use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or the full names)`);
  return index;
}

/** "Mon..Fri,Sun" → croner weekday numbers (a range may wrap: Fri..Mon). */
function weekdays(text: string): number[] {
  const days = new Set<number>();
  for (const item of text.split(',').filter(Boolean)) {
    const [from, to, extra] = item.split('..');
    if (extra !== undefined || from === '') refuse(`"${item}" is not a weekday or a range such as Mon..Fri`);
    const start = weekday(from);
    const end = to === undefined ? start : weekday(to);
    for (let d = start; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  if (days.size === 0) refuse('the weekday list is empty');
  return [...days].sort((a, b) => a - b);
}

function number(text: string, range: Range): number {
  if (!/^\d{1,4}$/.test(text))
    refuse(
      `${range.name} "${text}" is not a number${text.includes('.') && range === SECOND ? ' (fractions of a second are not supported)' : ''}`,
    );
  let value = Number(text);
  // Two-digit years, as systemd reads them: 70–99 are 19xx, the rest 20xx.
  if (range === YEAR && text.length <= 2) value += value >= 70 ? 1900 : 2000;
  if (value < range.min || value > range.max) refuse(`${range.name} ${value} is outside ${range.min}..${range.max}`);
  return value;
}

/** One component ("*", "5", "1,15", "9..17", "0/15", "9..17/2", "*\/10") as a croner field. */
function component(text: string, range: Range): string {
  if (text === '') refuse(`the ${range.name} is empty`);
  return text
    .split(',')
    .map((item) => {
      const [base, step, extra] = item.split('/');
      if (extra !== undefined) refuse(`${range.name} "${item}" has more than one "/"`);
      let field: string;
      if (base === '*') field = '*';
      else if (base.includes('..')) {
        const [from, to, more] = base.split('..');
        if (more !== undefined) refuse(`${range.name} "${item}" is not a range such as 9..17`);
        const a = number(from, range);
        const b = number(to, range);
        if (a > b) refuse(`${range.name} range ${base} runs backwards`);
        field = `${a}-${b}`;
      } else field = String(number(base, range));
      if (step === undefined) return field;
      if (!/^\d{1,4}$/.test(step) || Number(step) < 1) refuse(`${range.name} step "${step}" must be a whole number of at least 1`);
      // "5/15" starts at 5 and repeats up to the end of the range; croner spells that 5-59/15.
      if (!field.includes('-') && field !== '*') field = `${field}-${range.max}`;
      return `${field}/${Number(step)}`;
    })
    .join(',');
}

/** "2026-03-*", "*-*-01", "03-05", "*-*~1", "*-05~07/1" → year, month, day fields (day may be "L" or "last week"). */
function date(text: string): { year: string; month: string; day: string; lastWeek: boolean } {
  const reverse = text.includes('~');
  const [head, dayText] = reverse ? text.split('~') : [text.slice(0, text.lastIndexOf('-')), text.slice(text.lastIndexOf('-') + 1)];
  if (reverse && text.split('~').length !== 2) refuse(`date "${text}" has more than one "~"`);
  const parts = head.split('-');
  if (parts.length > 2 || parts.some((p) => p === '')) refuse(`"${text}" is not a date such as 2026-03-05, *-*-01 or 03-05`);
  const [yearText, monthText] = parts.length === 2 ? parts : ['*', parts[0]];
  const year = component(yearText, YEAR);
  const month = component(monthText, MONTH);
  if (!reverse) return { year, month, day: component(dayText, DAY), lastWeek: false };
  // Days counted from the month's end: ~1 is its last day; "~07/1" (its last seven days) with a weekday is that
  // weekday's last occurrence. Other reverse days have no cron spelling.
  if (/^0?1$/.test(dayText)) return { year, month, day: 'L', lastWeek: false };
  if (/^0?7\/1$/.test(dayText)) return { year, month, day: '*', lastWeek: true };
  return refuse(`"~${dayText}" is not supported; use ~1 (the last day of the month) or, with a weekday, ~07/1 (its last occurrence)`);
}

/** "09:00", "9:00:30", "*:0/15", "12,14:20" → hour, minute, second fields. */
function time(text: string): { hour: string; minute: string; second: string } {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) refuse(`"${text}" is not a time such as 09:00 or 09:00:30`);
  return { hour: component(parts[0], HOUR), minute: component(parts[1], MINUTE), second: component(parts[2] ?? '00', SECOND) };
}

function isTimeZone(text: string): boolean {
  if (!/^[A-Za-z][\w+/-]*$/.test(text)) return false;
  try {
    Intl.DateTimeFormat('en-US', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

/** One line: [weekdays] [date] [time] [time zone], or a shorthand, each part optional but not all. */
function line(text: string): CalendarPattern {
  let words = text.trim().split(/\s+/);
  let tz: string | null = null;
  if (words.length > 1 && isTimeZone(words[words.length - 1]) && !SHORTHANDS[words[words.length - 1].toLowerCase()]) tz = words.pop()!;
  if (words.length === 1 && SHORTHANDS[words[0].toLowerCase()]) words = SHORTHANDS[words[0].toLowerCase()].split(' ');
  let days: number[] | null = null;
  if (words.length && /^[A-Za-z]/.test(words[0])) days = weekdays(words.shift()!);
  let when = { year: '*', month: '*', day: '*', lastWeek: false };
  if (words.length && !words[0].includes(':')) when = date(words.shift()!);
  let clock = { hour: '0', minute: '0', second: '0' };
  if (words.length && words[0].includes(':')) clock = time(words.shift()!);
  if (words.length)
    refuse(
      `"${words[0]}" is not understood; an expression is [weekdays] [date] [time] [time zone], e.g. "Mon..Fri *-*-* 09:00:00 Europe/Berlin"`,
    );
  if (days == null && when.lastWeek) refuse('~07/1 needs a weekday, e.g. "Mon *-05~07/1" for the last Monday of May');
  let weekdayField = '*';
  if (days != null && days.length < 7) {
    weekdayField = when.lastWeek ? days.map((d) => `${d}#L`).join(',') : days.join(',');
    // systemd matches the date AND the weekday; cron's default is either, so croner's "+" asks for both.
    if (when.day !== '*') weekdayField = `+${weekdayField}`;
  } else if (when.lastWeek) weekdayField = '*';
  return { pattern: [clock.second, clock.minute, clock.hour, when.day, when.month, weekdayField, when.year].join(' '), tz };
}

/**
 * Parses an OnCalendar expression (one per line; a time is due when any line is) into cron patterns, or returns a
 * sentence saying what is wrong. Timestamps ("today", "2026-03-05 10:00" alone is fine; "now" is not) are refused.
 */
export function parseOnCalendar(expr: string): CalendarPattern[] | string {
  const lines = expr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return 'the OnCalendar expression is empty';
  if (lines.length > 10) return 'at most 10 OnCalendar lines';
  try {
    return lines.map(line);
  } catch (error) {
    if (error instanceof CalendarError) return `invalid OnCalendar expression: ${error.message}`;
    throw error;
  }
}
