// Management API: projects (labels on checks) and a project's hosts roll-up (Hexcovery's Infrastructure view).
import { Type } from 'typebox';
import { combinedStatus, iso } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { hostsOfProject, listProjects } from '../store/hosts.js';
import { keyed } from './auth.js';
import { workspaceOf } from './context.js';
import { errorResponses } from './schemas.js';

const HostCheckSchema = Type.Object({
  id: Type.String(),
  key: Type.Union([Type.String(), Type.Null()], { description: 'null for viewers and read keys (a ping credential)' }),
  name: Type.String(),
  status: Type.String(),
  running: Type.Boolean(),
  last_seen_at: Type.String({ description: 'last signal from this host for this check' }),
  signal_count: Type.Integer(),
});

const HostSchema = Type.Object({
  host: Type.String(),
  status: Type.String({ description: 'the worst status among its checks: down, late, up, new or paused' }),
  first_seen_at: Type.String(),
  last_seen_at: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'checks per status' }),
  checks: Type.Array(HostCheckSchema),
});

export async function projectRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const read = keyed(db, 'read');
  const tags = ['projects'];

  app.get(
    '/projects',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Projects of the workspace with their check counts',
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ project: Type.String(), checks: Type.Integer() })) }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await listProjects(db, workspaceOf(request)) }),
  );

  app.get(
    '/projects/:project/hosts',
    {
      onRequest: read,
      schema: {
        tags,
        summary: "A project's hosts roll-up: every host its jobs reported from, with their checks and worst status",
        params: Type.Object({ project: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ project: Type.String(), items: Type.Array(HostSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { project } = request.params;
      const pairs = await hostsOfProject(db, workspaceOf(request), project);
      const hosts = new Map<string, Array<(typeof pairs)[number]>>();
      for (const pair of pairs) hosts.set(pair.host, [...(hosts.get(pair.host) ?? []), pair]);
      const items = [...hosts.entries()].map(([host, list]) => {
        const counts: Record<string, number> = {};
        for (const { check } of list) counts[check.status] = (counts[check.status] ?? 0) + 1;
        // A host is as healthy as its least healthy check.
        const status = combinedStatus(list.map((p) => p.check.status));
        return {
          host,
          status,
          counts,
          first_seen_at: iso(Math.min(...list.map((p) => p.first_seen_at)))!,
          last_seen_at: iso(Math.max(...list.map((p) => p.last_seen_at)))!,
          checks: list.map(({ check, last_seen_at, signal_count }) => ({
            id: check.id,
            key: request.auth?.scope === 'write' ? check.key : null,
            name: check.name,
            status: check.status,
            running: check.open_runs > 0,
            last_seen_at: iso(last_seen_at)!,
            signal_count,
          })),
        };
      });
      return { project, items };
    },
  );
}
