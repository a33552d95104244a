// Management API: create, list, read, change, pause, resume and delete checks (protocol.md §6).
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { findServiceByIdOrName } from '../store/services.js';
import { listChecks } from '../store/checks.js';
import type { Db } from '../store/db.js';
import { READ_ID_PATTERN } from '../store/ids.js';
import { changeCheck, createCheck, pauseCheck, removeCheck, resumeCheck } from '../checks/operations.js';
import { changeOneCheck, deleteChecks } from '../checks/change-checks.js';
import { withPreset } from '../checks/presets.js';
import { foldKeywordSettings } from '../checks/keyword-settings.js';
import { badRequest } from '../errors.js';
import { keyed } from './auth.js';
import { loadCheck, presentChecks, workspaceOf } from './context.js';
import { pingAudienceOf } from './present.js';
import { ROWS_PER_TURN, sendJsonList } from './turns.js';
import { nextTurn } from '../next-turn.js';
import type { CheckRow } from '../store/schema.js';
import { CheckParams, CheckSchema, CreateCheckSchema, ErrorSchema, ListChecksQuery, UpdateCheckSchema, errorResponses } from './schemas.js';

// The cursor names the last check by read id, not UUID: the read scope must not learn UUIDs by decoding it.
function encodeCursor(name: string, readId: string): string {
  return Buffer.from(JSON.stringify([name, readId])).toString('base64url');
}

async function decodeCursor(db: Db, workspaceId: string, cursor: string): Promise<{ name: string; id: string }> {
  let parsed: unknown[] = [];
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
  } catch {
    // not ours: refused below
  }
  const [name, readId] = Array.isArray(parsed) ? parsed : [];
  if (typeof name !== 'string' || typeof readId !== 'string' || !READ_ID_PATTERN.test(readId)) {
    throw badRequest('invalid_cursor', 'cursor is not one this API returned; pass next_cursor from the previous page unchanged.');
  }
  const row = await db
    .selectFrom('checks')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('read_id', '=', readId)
    .executeTakeFirst();
  // The last check of the previous page was deleted since: go on after its name (others of that name show again).
  return { name, id: row?.id ?? '' };
}

export async function checkRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const read = keyed(db, 'read');
  const write = keyed(db, 'write');
  const tags = ['checks'];

  app.post(
    '/checks',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create a check',
        body: CreateCheckSchema,
        response: { 201: CheckSchema, 409: ErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { preset, ...body } = request.body;
      const input = foldKeywordSettings(withPreset(body, preset), null);
      const row = await changeOneCheck(runtime, (ops, now) => createCheck(ops, workspaceOf(request), input, now));
      const [check] = await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth));
      return reply.code(201).send(check);
    },
  );

  app.get(
    '/checks',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'List checks (filters, cursor paging)',
        querystring: ListChecksQuery,
        response: {
          200: Type.Object({ items: Type.Array(CheckSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const workspaceId = workspaceOf(request);
      const limit = query.limit ?? 100;
      const serviceId = query.service ? ((await findServiceByIdOrName(db, workspaceId, query.service))?.id ?? null) : undefined;
      // A large page is read as consecutive small ones, a turn apart: one query for a thousand rows is one long turn.
      const rows: CheckRow[] = [];
      let after = query.cursor ? await decodeCursor(db, workspaceId, query.cursor) : null;
      while (serviceId !== null && rows.length < limit + 1) {
        if (rows.length > 0) await nextTurn();
        const want = Math.min(ROWS_PER_TURN, limit + 1 - rows.length);
        const slice = await listChecks(
          db,
          workspaceId,
          { status: query.status, tag: query.tag, project: query.project, serviceId, q: query.q },
          want,
          after,
        );
        rows.push(...slice);
        if (slice.length < want) break;
        after = { name: slice[slice.length - 1].name, id: slice[slice.length - 1].id };
      }
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const items = await presentChecks(runtime, workspaceId, page, pingAudienceOf(request.auth));
      return sendJsonList(reply, CheckSchema, 'items', items, {
        next_cursor: rows.length > limit && last ? encodeCursor(last.name, last.read_id) : null,
      });
    },
  );

  app.get(
    '/checks/:check',
    {
      onRequest: read,
      schema: { tags, summary: 'Read a check', params: CheckParams, response: { 200: CheckSchema, ...errorResponses } },
    },
    async (request) => {
      const row = await loadCheck(db, request, request.params.check);
      return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
    },
  );

  app.patch(
    '/checks/:check',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Change a check',
        params: CheckParams,
        body: UpdateCheckSchema,
        response: { 200: CheckSchema, 409: ErrorSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await changeOneCheck(runtime, async (ops, now) => {
        const current = await loadCheck(ops.db, request, request.params.check);
        return changeCheck(ops, current, foldKeywordSettings(request.body, current.extra), now);
      });
      return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
    },
  );

  app.delete(
    '/checks/:check',
    {
      onRequest: write,
      schema: { tags, summary: 'Delete a check and its history', params: CheckParams, response: { 200: CheckSchema, ...errorResponses } },
    },
    async (request) => {
      const row = await loadCheck(db, request, request.params.check);
      const [presented] = await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth));
      await deleteChecks(runtime, async (ops, now) => {
        await removeCheck(ops, row, now);
        return [row];
      });
      return presented;
    },
  );

  for (const [action, operation] of [
    ['pause', pauseCheck],
    ['resume', resumeCheck],
  ] as const) {
    app.post(
      `/checks/:check/${action}`,
      {
        onRequest: write,
        schema: {
          tags,
          summary: action === 'pause' ? 'Pause a check (no deadlines, no alerts)' : 'Resume a paused check; its clock starts now',
          params: CheckParams,
          response: { 200: CheckSchema, ...errorResponses },
        },
      },
      async (request) => {
        const row = await changeOneCheck(runtime, async (ops, now) => {
          const current = await loadCheck(ops.db, request, request.params.check);
          return operation(ops, current, now);
        });
        return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
      },
    );
  }
}
