// The check page's smaller pieces: the schedule in words, the timeline's legend, run totals and the configuration card.
import type { Channel, Check, Stats } from '../api/types';
import { absolute, seconds } from '../format/time';
import { cronInWords, scheduleInWords } from '../format/schedule';
import { statTotals } from '../format/stat-totals';

export function ScheduleFact({ schedule, graceS }: { schedule: Check['schedule']; graceS: number }) {
  const grace = `${seconds(graceS)} grace`;
  if (schedule.kind === 'cron' && !cronInWords(schedule.expr)) {
    return (
      <>
        <code>{schedule.expr}</code> <span class="small muted">{schedule.tz}</span>
        <div class="small muted">{grace}</div>
      </>
    );
  }
  return (
    <>
      {scheduleInWords(schedule)}
      <div class="small muted">
        {schedule.kind !== 'interval' ? <code>{schedule.expr}</code> : `${seconds(schedule.period_s)} period`} · {grace}
      </div>
    </>
  );
}

export function Legend() {
  return (
    <div class="legend" aria-hidden="true">
      <span>
        <i class="s-up" />
        up
      </span>
      <span>
        <i class="s-late" />
        late
      </span>
      <span>
        <i class="s-down" />
        down
      </span>
      <span>
        <i class="s-paused" />
        paused
      </span>
      <span>
        <i class="s-new" />
        new
      </span>
    </div>
  );
}

export function StatTotals({ stats }: { stats: Stats }) {
  return (
    <span class="small muted num" data-testid="stat-totals">
      {statTotals(stats)}
    </span>
  );
}

export function Configuration({ check, channels }: { check: Check; channels: Channel[] }) {
  const names = check.channels.map((id) => channels.find((c) => c.id === id)?.name ?? id);
  const rows: Array<[string, string]> = [
    ['Key', check.key ?? 'shown to editors and admins'],
    ['Slug', check.slug],
    ['Project', check.project ?? '—'],
    ['Service', check.service?.name ?? '—'],
    ['Tags', check.tags.join(', ') || '—'],
    ['Grace', check.grace_multiplier != null ? `period × ${check.grace_multiplier}` : seconds(check.effective_grace_s)],
    ['Max run time', check.max_runtime_s != null ? seconds(check.max_runtime_s) : 'the grace period'],
    ['Down after', `${check.failure_threshold} failure${check.failure_threshold === 1 ? '' : 's'} in a row`],
    ['Up again after', `${check.recovery_threshold} success${check.recovery_threshold === 1 ? '' : 'es'}`],
    ['Ping methods', check.methods?.join(', ') ?? 'GET, HEAD, POST'],
    ['Resume on ping', check.manual_resume ? 'no (manual resume)' : 'yes'],
    ['Alert before first ping', check.alert_before_first_ping ? 'yes' : 'no'],
    ['Channels', names.join(', ') || 'none'],
    ['Last host', check.host ?? '—'],
    ['Created', absolute(check.created_at, false)],
  ];
  return (
    <table class="table">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
