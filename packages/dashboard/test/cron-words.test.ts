// Cron expressions in words, as the check list, the check page and the cron helper show them.
import { describe, expect, it } from 'vitest';
import { cronInWords } from '../src/format/cron-words';
import { scheduleInWords } from '../src/format/schedule';

describe('a cron expression in words', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/5 * * * *', 'every 5 minutes'],
    ['0 * * * *', 'every hour'],
    ['15 * * * *', 'every hour at :15'],
    ['0,30 * * * *', 'every hour at :00 and :30'],
    ['30 */2 * * *', 'every 2 hours at :30'],
    ['0 2 * * *', 'at 02:00'],
    ['0 2,14 * * *', 'at 02:00 and 14:00'],
    ['30 2 * * 1-5', 'at 02:30 on weekdays'],
    ['30 3 * * 0', 'at 03:30 on Sunday'],
    ['30 3 * * 7', 'at 03:30 on Sunday'],
    ['0 9 * * MON,THU', 'at 09:00 on Monday and Thursday'],
    ['0 9 * * mon-fri', 'at 09:00 on weekdays'],
    ['0 9 * * 6,0', 'at 09:00 on weekends'],
    ['0 9 * * 1-3', 'at 09:00 from Monday to Wednesday'],
    ['*/15 9-17 * * 1-5', 'every 15 minutes from 09:00 to 17:45 on weekdays'],
    ['0 9-17 * * *', 'every hour from 09:00 to 17:00'],
    ['* 9-17 * * *', 'every minute from 09:00 to 17:59'],
    ['*/5 9 * * *', 'every 5 minutes from 09:00 to 09:55'],
    ['0 0 1 * *', 'at 00:00 on the 1st of the month'],
    ['0 6 1,15 * *', 'at 06:00 on the 1st and 15th of the month'],
    ['0 6 L * *', 'at 06:00 on the last day of the month'],
    ['0 6 1 1,7 *', 'at 06:00 on the 1st of the month in January and July'],
    ['0 6 * 3-10 1', 'at 06:00 on Monday from March to October'],
    ['0 6 * JAN *', 'at 06:00 in January'],
    ['0 6 13 * 5', 'at 06:00 on the 13th of the month and on every Friday'],
    ['@daily', 'at 00:00'],
    ['@hourly', 'every hour'],
    ['@weekly', 'at 00:00 on Sunday'],
  ])('%s → %s', (expr, words) => {
    expect(cronInWords(expr)).toBe(words);
  });

  it.each([
    ['not cron'],
    ['0 2 * *'],
    ['0 25 * * *'],
    ['61 * * * *'],
    ['0 2 * * 8'],
    ['0 2 * 13 *'],
    ['5-1 * * * *'],
    ['1,2,3,4,5,6,7 1,2 * * *'],
  ])('%s has no words: the expression itself is shown', (expr) => {
    expect(cronInWords(expr)).toBeNull();
  });
});

describe('a schedule in words', () => {
  it('names the zone when the words name a time of day or days', () => {
    expect(scheduleInWords({ kind: 'cron', expr: '*/15 9-17 * * 1-5', tz: 'Asia/Tokyo' })).toBe(
      'every 15 minutes from 09:00 to 17:45 on weekdays Asia/Tokyo',
    );
    expect(scheduleInWords({ kind: 'cron', expr: '0 * * * 1-5', tz: 'Asia/Tokyo' })).toBe('every hour on weekdays Asia/Tokyo');
  });

  it('leaves the zone out when it makes no difference', () => {
    expect(scheduleInWords({ kind: 'cron', expr: '*/5 * * * *', tz: 'Asia/Tokyo' })).toBe('every 5 minutes');
  });

  it('falls back to the expression and its zone', () => {
    expect(scheduleInWords({ kind: 'cron', expr: '1,2,3,4,5,6,7 1,2 * * *', tz: 'UTC' })).toBe('cron 1,2,3,4,5,6,7 1,2 * * * UTC');
  });

  it('puts intervals in words', () => {
    expect(scheduleInWords({ kind: 'interval', period_s: 300 })).toBe('every 5 minutes');
    expect(scheduleInWords({ kind: 'interval', period_s: 90 })).toBe('every 90 seconds');
    expect(scheduleInWords({ kind: 'interval', period_s: 86400 })).toBe('every day');
  });
});
