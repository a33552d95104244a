// The cron helper: the expression in words and its next five run times in the check's time zone (croner, in the browser).
import { useMemo } from 'preact/hooks';
import { cronInWords } from '../format/schedule';
import { inZone, nextRuns } from '../format/cron';
import { serverNow } from '../state/clock';

const PRESETS: Array<[string, string]> = [
  ['every 5 minutes', '*/5 * * * *'],
  ['hourly', '0 * * * *'],
  ['daily at 02:00', '0 2 * * *'],
  ['weekdays at 09:00', '0 9 * * 1-5'],
  ['Sundays at 03:30', '30 3 * * 0'],
];

export function CronPresets({ onPick }: { onPick(expr: string): void }) {
  return (
    <div class="row" role="group" aria-label="Common schedules">
      {PRESETS.map(([label, expr]) => (
        <button key={expr} type="button" class="btn small" onClick={() => onPick(expr)}>
          {label}
        </button>
      ))}
    </div>
  );
}

export function CronHelper({ expr, tz }: { expr: string; tz: string }) {
  const result = useMemo(() => nextRuns(expr, tz || 'UTC', 5, new Date(serverNow())), [expr, tz]);
  const words = cronInWords(expr);
  return (
    <div class="notice" aria-live="polite" data-testid="cron-helper">
      {result.error ? (
        <p class="c-down">{result.error}</p>
      ) : (
        <>
          <p>
            <strong>{words ? `Runs ${words}` : 'Runs on this schedule'}</strong> <span class="muted">({tz || 'UTC'})</span>
          </p>
          <p class="small muted" style={{ marginTop: '4px' }}>
            Next five runs:
          </p>
          <ol class="small num" style={{ margin: '4px 0 0', paddingLeft: '20px' }}>
            {result.runs.map((d) => (
              <li key={d.getTime()}>{inZone(d, tz || 'UTC')}</li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
