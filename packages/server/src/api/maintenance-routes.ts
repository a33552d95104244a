// Management API: maintenance windows of a workspace, and snoozing a check (a pause that ends by itself).
import type { HttpApp } from '../http-app.js';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import { snoozeEnd } from '../core/index.js';
import { badRequest, notFound } from '../errors.js';
import type { Db } from '../store/db.js';
import type { MaintenanceWindowRow } from '../store/schema.js';
import { inTransaction } from '../store/transaction.js';
import { findWindow, listWindows } from '../store/maintenance-windows.js';
import { changeWindow, createWindow, presentWindow, removeWindow } from '../checks/maintenance-windows.js';
import { snoozeCheck } from '../checks/operations.js';
import { changeOneCheck } from '../checks/change-checks.js';
import { keyed } from './auth.js';
import { loadCheck, presentChecks, workspaceOf } from './context.js';
import { pingAudienceOf } from './present.js';
import { CheckParams, CheckSchema, IdParams, errorResponses, ErrorSchema } from './schemas.js';
import { CreateWindowSchema, SnoozeSchema, UpdateWindowSchema, WindowSchema } from './maintenance-schemas.js';

/** Windows as the API shows them at `now`, each with the check it covers (one query for them all). */
export async function presentWindows(db: Db, rows: MaintenanceWindowRow[], now: number) {
  const ids = [...new Set(rows.map((r) => r.check_id).filter((id): id is string => id != null))];
  const checks = ids.length ? await db.selectFrom('checks').select(['id', 'name', 'slug']).where('id', 'in', ids).execute() : [];
  const byId = new Map(checks.map((c) => [c.id, c]));
  return rows.map((row) => presentWindow(row, row.check_id ? byId.get(row.check_id) : undefined, now));
}

export async function maintenanceRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const read = keyed(db, 'read');
  const write = keyed(db, 'write');
  const tags = ['maintenance'];

  async function load(trx: Db, workspaceId: string, id: string): Promise<MaintenanceWindowRow> {
    const row = await findWindow(trx, workspaceId, id);
    if (!row)
      throw notFound('window_not_found', 'No such maintenance window in this workspace; list them with GET /api/v1/maintenance-windows.');
    return row;
  }

  /** After windows changed: held alerts are decided again at once, and live views refresh the checks' badges. */
  function changed(workspaceId: string): void {
    runtime.scheduler.wake();
    void runtime.scheduler.wakeForAlertTimers();
    void db
      .selectFrom('checks')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .limit(1000)
      .execute()
      .then((rows) => runtime.feed.checksChanged(rows))
      .catch(() => undefined);
  }

  app.get(
    '/maintenance-windows',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'List the maintenance windows of the workspace',
        response: { 200: Type.Object({ items: Type.Array(WindowSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await presentWindows(db, await listWindows(db, workspaceOf(request)), runtime.clock.now()) }),
  );

  app.get(
    '/maintenance-windows/:id',
    {
      onRequest: read,
      schema: { tags, summary: 'Read a maintenance window', params: IdParams, response: { 200: WindowSchema, ...errorResponses } },
    },
    async (request) => (await presentWindows(db, [await load(db, workspaceOf(request), request.params.id)], runtime.clock.now()))[0],
  );

  app.post(
    '/maintenance-windows',
    {
      onRequest: write,
      schema: {
        tags,
        summary:
          'Create a maintenance window (recurring: cron + duration_s + tz; one-off: starts_at + ends_at) for a check, a tag or the workspace',
        body: CreateWindowSchema,
        response: { 201: WindowSchema, 409: ErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = runtime.clock.now();
      const row = await inTransaction(db, (trx) => createWindow(trx, workspaceOf(request), request.body, now));
      changed(row.workspace_id);
      return reply.code(201).send((await presentWindows(db, [row], now))[0]);
    },
  );

  app.patch(
    '/maintenance-windows/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Change a maintenance window (null clears a field)',
        params: IdParams,
        body: UpdateWindowSchema,
        response: { 200: WindowSchema, 409: ErrorSchema, ...errorResponses },
      },
    },
    async (request) => {
      const now = runtime.clock.now();
      const row = await inTransaction(db, async (trx) =>
        changeWindow(trx, await load(trx, workspaceOf(request), request.params.id), request.body, now),
      );
      changed(row.workspace_id);
      return (await presentWindows(db, [row], now))[0];
    },
  );

  app.delete(
    '/maintenance-windows/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Delete a maintenance window; a check it held back that is still down alerts now',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = runtime.clock.now();
      const row = await inTransaction(db, async (trx) => {
        const current = await load(trx, workspaceOf(request), request.params.id);
        await removeWindow(trx, current, now);
        return current;
      });
      changed(row.workspace_id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/checks/:check/snooze',
    {
      onRequest: write,
      schema: {
        tags: ['checks'],
        summary: 'Snooze a check: paused, and resumed by itself after duration_s or at until (resume ends it sooner)',
        params: CheckParams,
        body: SnoozeSchema,
        response: { 200: CheckSchema, ...errorResponses },
      },
    },
    async (request) => {
      const now = runtime.clock.now();
      const end = snoozeEnd(request.body ?? {}, now);
      if (typeof end === 'string') throw badRequest('invalid_snooze', `${end[0].toUpperCase()}${end.slice(1)}.`);
      const row = await changeOneCheck(runtime, async (ops) => {
        const current = await loadCheck(ops.db, request, request.params.check);
        return snoozeCheck(ops, current, end, now);
      });
      return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
    },
  );
}
