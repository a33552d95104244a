// `overdue import-crontab`: one check per crontab job (matched by slug), then the crontab wrapped in `overdue exec`.
import type { OverdueClient } from '../client.js';
import { OverdueRequestError } from '../errors.js';
import { parseCrontab, rewriteCrontab, type CronJob, type ParseOptions } from './crontab.js';

/** The fields of a check this command reads. */
interface CheckView {
  id: string;
  key: string;
  slug: string;
  schedule: { kind: string; expr?: string; tz?: string };
  grace_s: number | null;
}

export interface ImportOptions extends ParseOptions {
  /** Grace for the checks, seconds (unset: the server's default on create, unchanged on update). */
  graceS?: number;
  /** How cron calls overdue in the rewritten lines. */
  bin?: string;
  /** OVERDUE_URL for the rewritten crontab. */
  url: string;
}

export interface ImportResult {
  /** The rewritten crontab. */
  crontab: string;
  created: number;
  updated: number;
  unchanged: number;
  /** Jobs the server refused (their lines are left as they were). */
  failed: number;
}

/** Every check of the key's workspace, by slug. */
async function checksBySlug(client: OverdueClient): Promise<Map<string, CheckView>> {
  const bySlug = new Map<string, CheckView>();
  let cursor: string | null = null;
  do {
    const page: { items: CheckView[]; next_cursor: string | null } = await client.api(
      'GET',
      `/checks?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const check of page.items) bySlug.set(check.slug, check);
    cursor = page.next_cursor;
  } while (cursor);
  return bySlug;
}

function sameSchedule(check: CheckView, job: CronJob): boolean {
  return check.schedule.kind === 'cron' && check.schedule.expr === job.expr && check.schedule.tz === job.tz;
}

/**
 * Creates or updates the checks and returns the rewritten crontab. A job the server refuses (say, an
 * expression it cannot read) is reported through `say` and its line kept; an unreachable server throws.
 */
export async function importCrontab(
  client: OverdueClient,
  text: string,
  options: ImportOptions,
  say: (line: string) => void,
): Promise<ImportResult> {
  const parsed = parseCrontab(text, options);
  for (const skipped of parsed.skipped) say(`line ${skipped.line + 1}: left as is (${skipped.reason})`);
  const result: ImportResult = { crontab: '', created: 0, updated: 0, unchanged: 0, failed: 0 };
  const keys = new Map<number, string>();
  const existing = parsed.jobs.length ? await checksBySlug(client) : new Map<string, CheckView>();

  for (const job of parsed.jobs) {
    const schedule = { kind: 'cron', expr: job.expr, tz: job.tz };
    const where = `line ${job.line + 1} (${job.slug})`;
    try {
      const found = existing.get(job.slug);
      let check: CheckView;
      if (!found) {
        check = await client.api<CheckView>('POST', '/checks', {
          name: job.name,
          slug: job.slug,
          schedule,
          tags: ['crontab'],
          ...(options.graceS != null ? { grace_s: options.graceS } : {}),
        });
        result.created += 1;
        say(`${where}: created check ${check.key} — ${job.expr} ${job.tz}`);
      } else if (!sameSchedule(found, job) || (options.graceS != null && found.grace_s !== options.graceS)) {
        check = await client.api<CheckView>('PATCH', `/checks/${found.id}`, {
          schedule,
          ...(options.graceS != null ? { grace_s: options.graceS } : {}),
        });
        result.updated += 1;
        say(`${where}: updated check ${check.key} — ${job.expr} ${job.tz}`);
      } else {
        check = found;
        result.unchanged += 1;
        say(`${where}: check ${check.key} is up to date`);
      }
      keys.set(job.line, check.key);
    } catch (error) {
      // A refusal concerns this job only; no answer at all means nothing else will work either.
      if (
        !(error instanceof OverdueRequestError) ||
        error.kind !== 'http' ||
        (error.status ?? 500) >= 500 ||
        error.status === 401 ||
        error.status === 403
      )
        throw error;
      result.failed += 1;
      say(`${where}: not imported, left as is — ${error.message}`);
    }
  }
  result.crontab = rewriteCrontab(parsed, keys, { bin: options.bin, url: options.url });
  return result;
}
