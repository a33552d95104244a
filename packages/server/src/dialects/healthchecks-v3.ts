// The healthchecks.io Management API v3 (/api/v3/…, X-Api-Key or "api_key" in the JSON body), so tools
// written for it work unchanged: checks (with `unique` upsert), pause, resume, pings, a ping's body, flips,
// channels, badges. Read-only keys (scope read) get read-only answers, as healthchecks.io's read-only keys do.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { presentedKey } from '../api/auth.js';
import { mapInTurns, readInTurns, sendJsonList } from '../api/turns.js';
import { withPreset } from '../checks/presets.js';
import { changeCheck, createCheck, pauseCheck, removeCheck, resumeCheck, type CheckOps } from '../checks/operations.js';
import { changeChecks, changeOneCheck, deleteChecks } from '../checks/change-checks.js';
import type { CheckInput } from '../checks/settings.js';
import { findCheck } from '../store/checks.js';
import { channelIdsOfChecks, listChannels } from '../store/channels.js';
import { listSignals } from '../store/signals.js';
import { listFlips } from '../store/flips.js';
import { newId, READ_ID_PATTERN, UUID_PATTERN } from '../store/ids.js';
import type { CheckRow } from '../store/schema.js';
import type { Db } from '../store/db.js';
import { ensureBadgeToken } from '../store/publishing.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { acceptAnyBody } from './raw-body.js';
import { bodyFields, managementCaller, queryFields, rawQuery, requireJsonFields, type Fields } from './common.js';
import {
  hcBadgeUrls,
  matchesUnique,
  parseSpec,
  presentFlips,
  presentHcCheck,
  presentPings,
  specToInput,
  type HcSpec,
} from './healthchecks-v3-view.js';
import { DAY_S } from '../core/index.js';

/** healthchecks.io keeps at most this many pings per check for its paid plans; so does this listing. */
const PINGS_LISTED = 1000;

/** "*" all channels, "" none, else ids or exact names separated by commas (each must match exactly one). */
async function resolveChannels(db: Db, workspaceId: string, text: string): Promise<string[]> {
  const available = await listChannels(db, workspaceId);
  if (text === '*') return available.map((c) => c.id);
  if (text === '') return [];
  return text.split(',').map((item) => {
    if (item === '') throw badRequest('invalid_field', 'empty channel identifier');
    const matches = available.filter((c) => c.id === item || c.name === item);
    if (matches.length === 0) throw badRequest('invalid_field', `invalid channel identifier: ${item}`);
    if (matches.length > 1) throw badRequest('invalid_field', `non-unique channel identifier: ${item}`);
    return matches[0].id;
  });
}

export async function healthchecksV3Routes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);
  const db = runtime.store.db;
  const hide = { schema: { hide: true } };
  /** A route about one check: its UUID (or unique_key) is the path's {code}. */
  const aboutCheck = { schema: { hide: true, params: Type.Object({ code: Type.String() }) } };
  /** healthchecks.io's URLs end in "/"; clients that drop it reach the same route. */
  const both = (path: string) => (path.endsWith('/') ? [path, path.slice(0, -1)] : [path]);

  /** The key from the headers, else from the body's api_key (healthchecks.io accepts both for POST). */
  async function authorize(request: FastifyRequest, scope: 'read' | 'write', fields?: Fields) {
    if (presentedKey(request) == null && typeof fields?.api_key === 'string') request.headers['x-api-key'] = fields.api_key;
    const key = await managementCaller(runtime, request, scope);
    return { ...key, readonly: key.scope !== 'write' };
  }

  async function present(rows: CheckRow[], readonly: boolean) {
    const channels = new Map<string, string[]>();
    // The list has no paging here (healthchecks.io returns every check): look channels up in bounded chunks.
    if (!readonly) {
      for (const [id, ids] of await readInTurns(rows, async (slice) => [
        ...(await channelIdsOfChecks(
          db,
          slice.map((r) => r.id),
        )),
      ]))
        channels.set(id, ids);
    }
    return mapInTurns(rows, (row) =>
      presentHcCheck(row, { publicUrl: runtime.config.publicUrl, channels: channels.get(row.id) ?? [], readonly }),
    );
  }

  /** The check named in the URL by UUID (or, for reads, by unique_key: its read id, found by index), in the key's workspace. */
  async function checkOf(db: Db, workspaceId: string, code: string, allowUniqueKey = false): Promise<CheckRow> {
    let row: CheckRow | undefined;
    if (UUID_PATTERN.test(code) || (allowUniqueKey && READ_ID_PATTERN.test(code))) row = await findCheck(db, workspaceId, code);
    if (!row) throw notFound('check_not_found', `No check ${code} in this project.`);
    return row;
  }

  /** Applies a spec to an existing check, or creates one; channels and the defaults of healthchecks.io included. */
  async function upsert(ops: CheckOps, workspaceId: string, spec: HcSpec, current: CheckRow | null, now: number): Promise<CheckRow> {
    const input: CheckInput = specToInput(spec, current);
    if (spec.channels !== undefined) input.channels = await resolveChannels(ops.db, workspaceId, spec.channels);
    if (current) return changeCheck(ops, current, input, now);
    const id = newId();
    const created = withPreset({ channels: [], ...input, id }, 'healthchecks');
    created.name ??= spec.slug || id;
    return createCheck(ops, workspaceId, created, now);
  }

  for (const path of both('/api/v3/checks/')) {
    app.get(path, hide, async (request, reply) => {
      const key = await authorize(request, 'read');
      const { tag, slug } = rawQuery(request);
      const tags = [...new Set((Array.isArray(tag) ? tag : tag ? [tag] : []).map(String))];
      // Every check: the order from one narrow query, then the rows in small slices by id, a turn apart (one query
      // for thousands of whole rows is one long turn; one sorted scan per slice would keep the store busy).
      let order = db.selectFrom('checks').select('id').where('workspace_id', '=', key.workspaceId);
      if (typeof slug === 'string' && slug) order = order.where('slug', '=', slug);
      const ids = (await order.orderBy('created_at').orderBy('id').execute()).map((r) => r.id);
      const rows = await readInTurns(ids, async (slice): Promise<CheckRow[]> => {
        const found: CheckRow[] = await db
          .selectFrom('checks')
          .selectAll()
          .where('workspace_id', '=', key.workspaceId)
          .where('id', 'in', slice)
          .execute();
        const byId = new Map(found.map((r) => [r.id, r]));
        const inOrder = slice.flatMap((id) => byId.get(id) ?? []);
        return inOrder.filter((row) => tags.every((tag) => (JSON.parse(row.tags) as string[]).includes(tag)));
      });
      return sendJsonList(reply, null, 'checks', await present(rows, key.readonly));
    });

    app.post(path, hide, async (request, reply) => {
      const fields = requireJsonFields(request);
      const key = await authorize(request, 'write', fields);
      const spec = parseSpec(fields);
      const { row, created } = await changeChecks(
        runtime,
        async (ops, now) => {
          let existing: CheckRow | undefined;
          if (spec.unique?.length && spec.unique.every((f) => spec[f] !== undefined)) {
            const candidates = await ops.db
              .selectFrom('checks')
              .selectAll()
              .where('workspace_id', '=', key.workspaceId)
              .orderBy('created_at')
              .orderBy('id')
              .execute();
            existing = candidates.find((c) => matchesUnique(c, spec));
          }
          return { row: await upsert(ops, key.workspaceId, spec, existing ?? null, now), created: !existing };
        },
        (done) => ({ changed: [done.row] }),
      );
      return reply.code(created ? 201 : 200).send((await present([row], false))[0]);
    });
  }

  app.get('/api/v3/checks/:code', aboutCheck, async (request) => {
    const key = await authorize(request, 'read');
    return (await present([await checkOf(db, key.workspaceId, request.params.code, true)], key.readonly))[0];
  });

  app.post('/api/v3/checks/:code', aboutCheck, async (request) => {
    const fields = requireJsonFields(request);
    const key = await authorize(request, 'write', fields);
    const row = await changeOneCheck(runtime, async (ops, now) => {
      const current = await checkOf(ops.db, key.workspaceId, request.params.code);
      return upsert(ops, key.workspaceId, parseSpec(fields), current, now);
    });
    return (await present([row], false))[0];
  });

  app.delete('/api/v3/checks/:code', aboutCheck, async (request) => {
    const key = await authorize(request, 'write');
    const check = await checkOf(db, key.workspaceId, request.params.code);
    const [shown] = await present([check], false);
    await deleteChecks(runtime, async (ops, now) => {
      await removeCheck(ops, check, now);
      return [check];
    });
    return shown;
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/v3/checks/:code/${action}`, aboutCheck, async (request) => {
      const key = await authorize(request, 'write', bodyFields(request) ?? {});
      // Read inside the transaction (locked on PostgreSQL), so the change cannot overwrite a signal stored meanwhile.
      const row = await changeOneCheck(runtime, async (ops, now) => {
        const check = await checkOf(ops.db, key.workspaceId, request.params.code);
        if (action === 'resume' && check.status !== 'paused') throw conflict('not_paused', 'check is not paused');
        return (action === 'pause' ? pauseCheck : resumeCheck)(ops, check, now);
      });
      return (await present([row], false))[0];
    });
  }

  for (const path of both('/api/v3/checks/:code/pings/')) {
    app.get(path, aboutCheck, async (request) => {
      const key = await authorize(request, 'write');
      const check = await checkOf(db, key.workspaceId, request.params.code);
      const signals = await listSignals(db, check, PINGS_LISTED, null, undefined, 'size');
      const runIds = [...new Set(signals.map((s) => s.run_id).filter((id): id is string => id != null))];
      const runs = runIds.length
        ? await db.selectFrom('runs').selectAll().where('check_id', '=', check.id).where('id', 'in', runIds).execute()
        : [];
      return { pings: presentPings(signals, new Map(runs.map((r) => [r.id, r])), runtime.config.publicUrl, check.id) };
    });
  }

  app.get(
    '/api/v3/checks/:code/pings/:n/body',
    { schema: { hide: true, params: Type.Object({ code: Type.String(), n: Type.String() }) } },
    async (request, reply) => {
      const key = await authorize(request, 'write');
      const check = await checkOf(db, key.workspaceId, request.params.code);
      const n = Number(request.params.n);
      const row = Number.isSafeInteger(n)
        ? await db.selectFrom('signals').select('body').where('id', '=', n).where('check_id', '=', check.id).executeTakeFirst()
        : undefined;
      if (!row?.body) throw notFound('ping_not_found', 'No such ping, or it has no body.');
      return reply.type('text/plain; charset=utf-8').send(row.body);
    },
  );

  for (const path of both('/api/v3/checks/:code/flips/')) {
    app.get(path, aboutCheck, async (request) => {
      const key = await authorize(request, 'read');
      const check = await checkOf(db, key.workspaceId, request.params.code, true);
      const q = queryFields(request);
      const number = (name: string, min: number, max: number) => {
        const value = q[name];
        if (value == null || value === '') return undefined;
        const n = Number(value);
        if (!Number.isInteger(n) || n < min || n > max)
          throw badRequest('invalid_field', `${name} must be a whole number from ${min} to ${max}.`);
        return n;
      };
      const secondsAgo = number('seconds', 1, 365 * DAY_S);
      const start = number('start', 0, 32_503_680_000);
      const end = number('end', 0, 32_503_680_000);
      const now = runtime.clock.now();
      const from = Math.max(start != null ? start * 1000 : -Infinity, secondsAgo != null ? now - secondsAgo * 1000 : -Infinity);
      const rows = await listFlips(db, check.id, 10_000, Number.isFinite(from) ? from : undefined, end != null ? end * 1000 : undefined);
      return { flips: presentFlips(rows) };
    });
  }

  for (const path of both('/api/v3/channels/')) {
    app.get(path, hide, async (request) => {
      const key = await authorize(request, 'write');
      return { channels: (await listChannels(db, key.workspaceId)).map((c) => ({ id: c.id, name: c.name, kind: c.kind })) };
    });
  }

  for (const path of both('/api/v3/badges/')) {
    app.get(path, hide, async (request) => {
      const key = await authorize(request, 'read');
      // The workspace's own badge URLs (GET /api/v1/badges lists the same ones): '*' is the whole workspace.
      const { token } = await ensureBadgeToken(db, key.workspaceId, runtime.clock.now());
      const tags = new Set<string>(['*']);
      for (const row of await db.selectFrom('checks').select('tags').where('workspace_id', '=', key.workspaceId).execute()) {
        for (const tag of JSON.parse(row.tags) as string[]) tags.add(tag);
      }
      const badges: Record<string, Record<string, string>> = {};
      for (const tag of [...tags].sort())
        badges[tag] = hcBadgeUrls(runtime.config.publicUrl, token, tag === '*' ? { kind: 'workspace' } : { kind: 'tag', tag });
      return { badges };
    });
  }

  for (const path of both('/api/v3/status/')) {
    app.get(path, hide, async (_request, reply) => {
      await db.selectFrom('workspaces').select('id').limit(1).execute();
      return reply.type('text/plain; charset=utf-8').send('OK');
    });
  }
}
