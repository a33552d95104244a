// Management API: what happened to a check — runs, signals, flips, statistics and the status timeline.
import { Type, type TSchema } from 'typebox';
import { iso, uptime, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { listRuns } from '../store/runs.js';
import { listSignals, signalsByIds, withinBodyBudget } from '../store/signals.js';
import { listFlips } from '../store/flips.js';
import { checkStats } from './check-stats.js';
import { periodsOf } from '../checks/periods.js';
import { badRequest } from '../errors.js';
import { keyed } from './auth.js';
import { ROWS_PER_TURN, sendJsonList } from './turns.js';
import { nextTurn } from '../next-turn.js';
import { loadCheck } from './context.js';
import { EXCERPT, presentFlip, presentRun, presentSignal } from './present.js';
import { CheckParams, FlipSchema, PageQuery, RangeQuery, RunSchema, SignalSchema, errorResponses, type RangeQueryT } from './schemas.js';

const UNIT_MS: Record<string, number> = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
const MAX_BUCKETS = 2000;
/**
 * Body bytes one page of signals may carry (full=true) or pass over (excerpts): reading a stored body costs
 * ~20 ms a MB as text and ~3 ms a MB to skip, so a page ends early (with next_cursor) rather than stall ingest.
 */
export const MAX_PAGE_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_PAGE_SCANNED_BYTES = 8 * 1024 * 1024;
/** Body bytes read per event-loop turn (and per query) while a page of signals is put together. */
const BODY_BYTES_PER_TURN = 128 * 1024;

/** Consecutive slices of `rows` (at most ROWS_PER_TURN each) whose bodies add up to about `budget` bytes. */
function slicesOfBytes<T extends { body_size: number }>(rows: T[], budget: number): T[][] {
  const slices: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (current.length > 0 && (bytes + Number(row.body_size) > budget || current.length >= ROWS_PER_TURN)) {
      slices.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += Number(row.body_size);
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/**
 * Parses from/to/bucket with defaults (the last 24 hours in hours); 400 when they make no sense. `to` is clamped
 * to now: nothing has happened after it, and a range years ahead must not cost anything.
 */
export function parseRange(query: RangeQueryT, now: number, defaultSpanMs = DAY_MS): { from: number; to: number; bucket: number } {
  const to = query.to ? Date.parse(query.to) : now;
  const from = query.from ? Date.parse(query.from) : to - defaultSpanMs;
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw badRequest('invalid_range', 'from and to must be ISO 8601 times, e.g. 2026-11-23T00:00:00Z.');
  if (from >= to) throw badRequest('invalid_range', 'from must be before to.');
  const match = /^(\d+)([smhd])$/.exec(query.bucket ?? '1h')!;
  const bucket = Number(match[1]) * UNIT_MS[match[2]];
  if (bucket <= 0) throw badRequest('invalid_range', 'bucket must be positive, e.g. 1h.');
  if ((to - from) / bucket > MAX_BUCKETS)
    throw badRequest('invalid_range', `That is more than ${MAX_BUCKETS} buckets; use a larger bucket or a shorter range.`);
  return { from, to: Math.max(from, Math.min(to, now)), bucket };
}

function cursorNumber(cursor: string | undefined): number | null {
  if (cursor == null) return null;
  const value = Number(cursor);
  if (!Number.isSafeInteger(value)) throw badRequest('invalid_cursor', 'cursor is not one this API returned; pass next_cursor unchanged.');
  return value;
}

export async function historyRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const read = keyed(db, 'read');
  const tags = ['history'];
  const page = <T extends TSchema>(schema: T) =>
    Type.Object({ items: Type.Array(schema), next_cursor: Type.Union([Type.String(), Type.Null()]) });

  app.get(
    '/checks/:check/runs',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Runs of a check, newest first',
        params: CheckParams,
        querystring: PageQuery,
        response: { 200: page(RunSchema), ...errorResponses },
      },
    },
    async (request) => {
      const check = await loadCheck(db, request, request.params.check);
      const { limit = 100, cursor } = request.query;
      const rows = await listRuns(db, check.id, limit + 1, cursorNumber(cursor));
      const items = rows.slice(0, limit);
      const more = rows.length > limit && items[items.length - 1]?.started_at != null;
      const now = runtime.clock.now();
      return { items: items.map((r) => presentRun(r, now)), next_cursor: more ? String(items[items.length - 1].started_at) : null };
    },
  );

  app.get(
    '/checks/:check/signals',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Signals of a check, newest first, with a body excerpt (full=true: whole bodies, at most 2 MB of them a page)',
        params: CheckParams,
        querystring: Type.Object({
          ...PageQuery.properties,
          run: Type.Optional(Type.String({ maxLength: 64 })),
          full: Type.Optional(Type.Boolean()),
        }),
        response: { 200: page(SignalSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const check = await loadCheck(db, request, request.params.check);
      const { limit = 100, cursor, run, full } = request.query;
      // Sizes first (cheap), then only the rows whose bodies fit the page's byte budget, read a few at a time: two
      // megabytes of bodies read, shaped and serialised in one turn would hold up every ping meanwhile.
      const heads = await listSignals(db, check, limit + 1, cursorNumber(cursor), run, 'size');
      const page = withinBodyBudget(heads.slice(0, limit), full === true ? MAX_PAGE_BODY_BYTES : MAX_PAGE_SCANNED_BYTES);
      const items = [];
      for (const slice of slicesOfBytes(page, full === true ? BODY_BYTES_PER_TURN : BODY_BYTES_PER_TURN * 8)) {
        if (items.length > 0) await nextTurn();
        const rows = await signalsByIds(
          db,
          check.id,
          slice.map((r) => Number(r.id)),
          full === true ? 'full' : { excerpt: EXCERPT },
        );
        items.push(...rows.map((r) => presentSignal(r, full === true)));
      }
      const next_cursor = heads.length > page.length ? String(page[page.length - 1].id) : null;
      return sendJsonList(reply, SignalSchema, 'items', items, { next_cursor }, full === true ? 1 : ROWS_PER_TURN);
    },
  );

  app.get(
    '/checks/:check/flips',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Status changes with reasons, newest first',
        params: CheckParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(FlipSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const check = await loadCheck(db, request, request.params.check);
      const q = request.query;
      const rows = await listFlips(
        db,
        check.id,
        q.limit ?? 100,
        q.from ? Date.parse(q.from) : undefined,
        q.to ? Date.parse(q.to) : undefined,
      );
      return { items: rows.map(presentFlip) };
    },
  );

  app.get(
    '/checks/:check/timeline',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Status periods over a range (default: the last 24 hours)',
        params: CheckParams,
        querystring: RangeQuery,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            uptime: Type.Union([Type.Number(), Type.Null()]),
            periods: Type.Array(Type.Object({ status: Type.String(), from: Type.String(), to: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const check = await loadCheck(db, request, request.params.check);
      // A timeline has no buckets: count days only so that 90 days (or a year) stays within the range limit.
      const { from, to } = parseRange({ ...request.query, bucket: '1d' }, runtime.clock.now());
      const periods = await periodsOf(db, check, from, to);
      return {
        from: iso(from)!,
        to: iso(to)!,
        uptime: uptime(periods),
        periods: periods.map((p) => ({ status: p.status, from: iso(p.from)!, to: iso(p.to)! })),
      };
    },
  );

  app.get(
    '/checks/:check/stats',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Per-bucket counts of expected beats, runs, fails and completions, with uptime',
        params: CheckParams,
        querystring: RangeQuery,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            bucket_s: Type.Integer(),
            uptime: Type.Union([Type.Number(), Type.Null()]),
            buckets: Type.Array(
              Type.Object({
                at: Type.String(),
                expected: Type.Number(),
                runs: Type.Integer(),
                fails: Type.Integer(),
                completes: Type.Integer(),
                signals: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const check = await loadCheck(db, request, request.params.check);
      const { from, to, bucket } = parseRange(request.query, runtime.clock.now());
      const { buckets, uptime } = await checkStats(db, check, from, to, bucket);
      return { from: iso(from)!, to: iso(to)!, bucket_s: bucket / 1000, uptime, buckets };
    },
  );
}
