// A Sentry Crons check-in (an envelope's check_in item, or the HTTP check-in API's query and body) read into an
// Overdue signal, and applied: its monitor_config upserts the check, then the signal goes through ingest.
import type { FastifyRequest } from 'fastify';
import { DAY_S, type SignalKind } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { CheckRow } from '../store/schema.js';
import { slugify, type CheckInput } from '../checks/settings.js';
import { changeCheck } from '../checks/operations.js';
import { changeChecks } from '../checks/change-checks.js';
import { timingOf } from '../store/check-rows.js';
import { badRequest, notFound, OverdueError } from '../errors.js';
import { signal } from '../ingest/incoming-signal.js';
import type { IngestOutcome } from '../ingest/apply-batch.js';
import { origin } from './common.js';
import { changedSettings, monitorSettings, SENTRY_DEFAULTS, SENTRY_UNCONFIGURED, type MonitorSettings } from './sentry-monitor-config.js';

const KINDS: Record<string, SignalKind> = { in_progress: 'start', ok: 'success', error: 'fail' };

export interface CheckIn {
  slug: string;
  kind: SignalKind;
  /** The check-in id as a run id (32 hex digits); null for none or Sentry's all-zero "the latest in-progress one". */
  rid: string | null;
  /** What the client measured, in seconds (kept in the signal's metadata; the run's own duration is Overdue's). */
  durationS: number | null;
  environment: string | null;
  release: string | null;
  monitor: MonitorSettings | null;
}

/** A workspace a DSN key names. */
export interface DsnWorkspace {
  id: string;
  pingKey: string;
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;

function slugOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest('invalid_check_in', 'monitor_slug is required: the monitor\'s slug, e.g. "nightly-backup".');
  if (value.length > 200) throw badRequest('invalid_check_in', 'monitor_slug must be at most 200 characters.');
  const lower = value.trim().toLowerCase();
  // Sentry slugifies what it is given; so does Overdue, into its own slug alphabet.
  return SLUG.test(lower) ? lower : slugify(lower);
}

function ridOf(value: unknown): string | null {
  if (value == null || value === '') return null;
  const hex = typeof value === 'string' ? value.trim().replace(/-/g, '').toLowerCase() : '';
  if (!/^[0-9a-f]{32}$/.test(hex))
    throw badRequest('invalid_check_in', `check_in_id must be a UUID (32 hex digits, dashes optional); got ${JSON.stringify(value)}.`);
  return /^0+$/.test(hex) ? null : hex;
}

function durationOf(value: unknown): number | null {
  if (value == null || value === '') return null;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 366 * DAY_S) {
    throw badRequest('invalid_check_in', `duration must be a number of seconds from 0 to a year; got ${JSON.stringify(value)}.`);
  }
  return n;
}

function label(value: unknown, name: string): string | null {
  if (value == null || value === '') return null;
  if (typeof value !== 'string' || value.length > 200)
    throw badRequest('invalid_check_in', `${name} must be a string of at most 200 characters.`);
  return value;
}

/** Reads a check-in's fields (Sentry's names); a 400 naming the field that is wrong. */
export function parseCheckIn(fields: Record<string, unknown>): CheckIn {
  const status = fields.status;
  const kind = typeof status === 'string' ? KINDS[status.trim().toLowerCase()] : undefined;
  if (!kind) throw badRequest('invalid_check_in', `status must be one of in_progress, ok, error; got ${JSON.stringify(status ?? null)}.`);
  return {
    slug: slugOf(fields.monitor_slug),
    kind,
    rid: ridOf(fields.check_in_id),
    durationS: durationOf(fields.duration),
    environment: label(fields.environment, 'environment'),
    release: label(fields.release, 'release'),
    monitor: fields.monitor_config == null ? null : monitorSettings(fields.monitor_config),
  };
}

/** The workspace whose ping key the DSN carries; 401 when none has it. */
export async function dsnWorkspace(runtime: Runtime, key: string): Promise<DsnWorkspace> {
  const row = await runtime.store.db.selectFrom('workspaces').select(['id', 'ping_key']).where('ping_key', '=', key).executeTakeFirst();
  if (!row)
    throw new OverdueError(
      401,
      'invalid_dsn_key',
      "The DSN's public key is not the ping key of any workspace; use http://{ping key}@{overdue host}/1 (the ping key is on the workspace settings page).",
    );
  return { id: row.id, pingKey: row.ping_key };
}

/** Applies a monitor_config to an existing check when it changes something; creating is left to ingest. */
async function upsertSettings(runtime: Runtime, workspace: DsnWorkspace, checkIn: CheckIn): Promise<void> {
  if (!checkIn.monitor) return;
  const db = runtime.store.db;
  const find = (trx: typeof db) =>
    trx
      .selectFrom('checks')
      .selectAll()
      .where('workspace_id', '=', workspace.id)
      .where('slug', '=', checkIn.slug)
      .executeTakeFirst() as Promise<CheckRow | undefined>;
  const current = await find(db);
  if (!current || Object.keys(changedSettings(checkIn.monitor.input, timingOf(current))).length === 0) return;
  await changeChecks(
    runtime,
    async (ops, now) => {
      const row = await find(ops.db);
      if (!row) return null;
      const change = changedSettings(checkIn.monitor!.input, timingOf(row));
      return Object.keys(change).length > 0 ? changeCheck(ops, row, change, now) : null;
    },
    (row) => ({ changed: row ? [row] : [] }),
  );
}

/** What ingest creates an unknown monitor with: its config over Sentry's defaults (or, without one, a daily guess). */
function creationSettings(checkIn: CheckIn): CheckInput {
  // A config whose schedule could not be kept (a sub-minute crontab) leaves the schedule a guess, as none does.
  const guessed = !checkIn.monitor?.input.schedule;
  return { ...(guessed ? { ...SENTRY_UNCONFIGURED, learn_schedule: true } : SENTRY_DEFAULTS), ...checkIn.monitor?.input };
}

/**
 * Stores one check-in: the signal (which creates an unknown monitor with its config), then the config's changes to
 * an existing check, so a refused check-in changes nothing. Throws the HTTP answer of a refusal (a 429 is put in
 * Sentry's terms by the route, sentry.ts).
 */
export async function applyCheckIn(
  runtime: Runtime,
  workspace: DsnWorkspace,
  checkIn: CheckIn,
  request: FastifyRequest,
  project: string,
): Promise<Extract<IngestOutcome, { kind: 'ok' }>> {
  const metadata: Record<string, unknown> = { sentry_project: project };
  if (checkIn.rid) metadata.check_in_id = checkIn.rid;
  if (checkIn.durationS != null) metadata.duration_s = checkIn.durationS;
  if (checkIn.environment) metadata.environment = checkIn.environment;
  if (checkIn.release) metadata.release = checkIn.release;
  if (checkIn.monitor?.scheduleIgnored) metadata.schedule_ignored = 'a sub-minute crontab cannot be kept; the check keeps its schedule';
  const outcome: IngestOutcome = await runtime.ingest.submit(
    signal({
      ref: { by: 'slug', pingKey: workspace.pingKey, slug: checkIn.slug },
      kind: checkIn.kind,
      dialect: 'sentry',
      perCheckLimit: false,
      workspaceId: workspace.id,
      rid: checkIn.rid,
      metadata,
      ...origin(request),
      createWith: creationSettings(checkIn),
    }),
  );
  switch (outcome.kind) {
    case 'ok':
      if (!outcome.created) await upsertSettings(runtime, workspace, checkIn);
      return outcome;
    case 'not_found':
      throw notFound('monitor_not_found', `The monitor "${checkIn.slug}" is disabled in Overdue; enable its check to record check-ins.`);
    case 'rejected':
      throw outcome.error;
    case 'rate_limited':
      throw new OverdueError(429, 'rate_limited', `Too many check-ins for "${checkIn.slug}"; retry in ${outcome.retryAfterS}s.`, {
        'retry-after': String(outcome.retryAfterS),
      });
    case 'method_not_allowed':
      throw new OverdueError(405, 'method_not_allowed', `The check "${checkIn.slug}" accepts only ${outcome.allowed.join(', ')}.`, {
        allow: outcome.allowed.join(', '),
      });
  }
}
