// GET /api/v1/events: the caller's workspace's check changes as Server-Sent Events, for live dashboards.
import { iso } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import type { CheckRow } from '../store/schema.js';
import { keyed, requireKey } from './auth.js';
import { presentChecks, workspaceOf } from './context.js';
import { pingAudienceOf, withoutPingCredentials, type PingCredentialAudience } from './present.js';
import { replaceCheckIds } from './read-ids.js';
import { readIdOf } from '../store/ids.js';

/** Changes are gathered for this long and sent together, so a burst of pings is one event per check. */
const COALESCE_MS = 100;
/** A comment line this often keeps proxies from closing an idle stream; the caller's access is re-checked then too. */
const KEEPALIVE_MS = 15_000;

interface Stream {
  write(text: string): void;
  close(): void;
  /** Readers (viewers, read keys) get checks without ping credentials; re-checked with the caller's access. */
  audience: PingCredentialAudience;
}

/**
 * The open streams of one workspace. Its changes are gathered once, presented once (a few queries) and the same
 * text is written to every stream, however many dashboards are open.
 */
interface Hub {
  streams: Set<Stream>;
  changed: Map<string, CheckRow>;
  deleted: Set<string>;
  timer: NodeJS.Timeout | null;
}

export async function eventRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const hubs = new Map<string, Hub>();
  const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify({ now: iso(runtime.clock.now()), ...data })}\n\n`;

  const flush = async (workspaceId: string, hub: Hub) => {
    hub.timer = null;
    const rows = [...hub.changed.values()];
    const ids = [...hub.deleted];
    hub.changed.clear();
    hub.deleted.clear();
    try {
      const items = rows.length ? await presentChecks(runtime, workspaceId, rows, 'writer') : [];
      const deleted = ids.length ? event('deleted', { ids }) : '';
      // Readers get the checks by read id, as every other answer gives them (api/read-ids.ts).
      // Checks named inside a presented check (the ones it depends on, the one it is folded into) are hidden too.
      const named = items.flatMap((c) => [...c.depends_on.map((p) => p.id), ...(c.folded_into ? [c.folded_into.check.id] : [])]);
      const readIds = new Map([...rows.map((r) => r.id), ...ids, ...named].map((id) => [id, readIdOf(id)]));
      const texts: Record<PingCredentialAudience, string> = {
        writer: (items.length ? event('checks', { items }) : '') + deleted,
        reader: replaceCheckIds((items.length ? event('checks', { items: items.map(withoutPingCredentials) }) : '') + deleted, readIds),
      };
      // Streams that closed while the rows were presented have left the hub.
      for (const stream of hub.streams) stream.write(texts[stream.audience]);
    } catch (error) {
      runtime.log.warn({ err: error }, 'live event could not be sent; the client refreshes on reconnect');
      for (const stream of [...hub.streams]) stream.close();
    }
  };
  const later = (workspaceId: string, hub: Hub) => {
    hub.timer ??= setTimeout(() => void flush(workspaceId, hub), COALESCE_MS);
  };
  // One listener for every stream; with no stream open a change costs one size check.
  const onChecks = (rows: CheckRow[]) => {
    if (hubs.size === 0) return;
    for (const row of rows) {
      const hub = hubs.get(row.workspace_id);
      if (!hub) continue;
      hub.changed.set(row.id, row);
      hub.deleted.delete(row.id);
      later(row.workspace_id, hub);
    }
  };
  const onDeleted = (row: CheckRow) => {
    const hub = hubs.get(row.workspace_id);
    if (!hub) return;
    hub.changed.delete(row.id);
    hub.deleted.add(row.id);
    later(row.workspace_id, hub);
  };
  runtime.feed.on('checks', onChecks);
  runtime.feed.on('deleted', onDeleted);
  app.addHook('onClose', async () => {
    runtime.feed.off('checks', onChecks);
    runtime.feed.off('deleted', onDeleted);
  });
  // Streams never end by themselves: close them so the server can stop.
  app.addHook('preClose', async () => {
    for (const hub of [...hubs.values()]) for (const stream of [...hub.streams]) stream.close();
  });

  app.get(
    '/events',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags: ['events'],
        summary:
          'Live changes as Server-Sent Events: "hello" {now} on connect, "checks" {now, items: Check[]} when checks change, "deleted" {now, ids}',
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const headers = {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      };
      // A HEAD request gets the stream's headers and no stream: it would otherwise never end.
      if (request.method === 'HEAD') return reply.code(200).headers(headers).send();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, headers);
      res.write(`retry: 3000\n\n${event('hello', {})}`);

      const hub: Hub = hubs.get(workspaceId) ?? { streams: new Set(), changed: new Map(), deleted: new Set(), timer: null };
      hubs.set(workspaceId, hub);
      const stream: Stream = { write: (text) => void res.write(text), close, audience: pingAudienceOf(request.auth) };
      const keepAlive = setInterval(() => {
        // A revoked key, an ended session or a removed member stops receiving.
        requireKey(db, request, 'read').then(
          (caller) => {
            if (caller.workspaceId !== workspaceId) close();
            else if (hub.streams.has(stream)) {
              // A member demoted to viewer stops receiving ping credentials.
              stream.audience = pingAudienceOf(caller);
              res.write(': keep-alive\n\n');
            }
          },
          () => close(),
        );
      }, KEEPALIVE_MS);

      function close() {
        if (!hub.streams.delete(stream)) return;
        clearInterval(keepAlive);
        if (hub.streams.size === 0) {
          if (hub.timer) clearTimeout(hub.timer);
          if (hubs.get(workspaceId) === hub) hubs.delete(workspaceId);
        }
        res.end();
      }
      hub.streams.add(stream);
      request.raw.on('close', close);
    },
  );
}
