// What a public status page shows, read from the store: the chosen checks with 90 daily uptime bars and the open
// published incidents of those checks. Nothing else of the workspace is read.
import { uptime, DAY_MS } from '../core/index.js';
import type { Db } from '../store/db.js';
import type { StatusPageRow } from '../store/schema.js';
import { periodsOfMany } from '../checks/periods.js';
import { nextTurn } from '../next-turn.js';
import { dailyBars, startOfUtcDay, type DayBar } from './uptime-bars.js';

export const STATUS_PAGE_DAYS = 90;
export const MAX_STATUS_PAGE_CHECKS = 100;
const CHECKS_PER_TURN = 10;

export interface StatusPageView {
  title: string;
  description: string;
  now: number;
  checks: Array<{ name: string; status: string; bars: DayBar[]; uptime: number | null }>;
  incidents: Array<{ checkName: string; openedAt: number; reason: string }>;
}

export async function loadStatusPage(db: Db, page: StatusPageRow, now: number): Promise<StatusPageView> {
  const ids = (JSON.parse(page.check_ids) as string[]).slice(0, MAX_STATUS_PAGE_CHECKS);
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('checks')
          .select(['id', 'name', 'status', 'created_at'])
          .where('workspace_id', '=', page.workspace_id)
          .where('id', 'in', ids)
          .execute();
  // The page keeps the order its owner chose; checks deleted since then simply drop out.
  const byId = new Map(rows.map((r) => [r.id, r]));
  const chosen = ids.map((id) => byId.get(id)).filter((r) => r != null);
  const from = startOfUtcDay(now) - (STATUS_PAGE_DAYS - 1) * DAY_MS;
  // A few checks' 90 days per event-loop turn: a hundred checks' bars in one go would hold up pings meanwhile.
  const checks: StatusPageView['checks'] = [];
  for (let i = 0; i < chosen.length; i += CHECKS_PER_TURN) {
    if (i > 0) await nextTurn();
    const slice = chosen.slice(i, i + CHECKS_PER_TURN);
    const periodsByCheck = await periodsOfMany(db, slice, from, now);
    for (const row of slice) {
      const periods = periodsByCheck.get(row.id)!;
      checks.push({ name: row.name, status: row.status, bars: dailyBars(periods, now, STATUS_PAGE_DAYS), uptime: uptime(periods) });
    }
  }
  const open =
    chosen.length === 0
      ? []
      : await db
          .selectFrom('incidents')
          .select(['check_id', 'opened_at', 'reason'])
          .where('workspace_id', '=', page.workspace_id)
          .where('resolved_at', 'is', null)
          .where(
            'check_id',
            'in',
            chosen.map((r) => r.id),
          )
          // A draft incident (draft mode) is not announced anywhere until a person publishes it: not here either.
          .where('draft', '=', 0)
          .orderBy('opened_at', 'desc')
          .execute();
  return {
    title: page.title,
    description: page.description,
    now,
    checks,
    incidents: open.map((i) => ({ checkName: byId.get(i.check_id)?.name ?? '', openedAt: i.opened_at, reason: i.reason })),
  };
}
