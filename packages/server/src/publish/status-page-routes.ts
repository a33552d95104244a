// The public status page (/status/{slug}, no sign-in) and its settings under /api/v1/status-page (opt-in).
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { findCheck } from '../store/checks.js';
import { deleteStatusPage, saveStatusPage, statusPageBySlug, statusPageOf, statusSlugTaken } from '../store/publishing.js';
import type { StatusPageRow } from '../store/schema.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { keyed } from '../api/auth.js';
import { workspaceOf } from '../api/context.js';
import { errorResponses } from '../api/schemas.js';
import { loadStatusPage, MAX_STATUS_PAGE_CHECKS } from './status-page-data.js';
import { renderNotFoundPage, renderStatusPageInTurns, STATUS_PAGE_HEADERS } from './status-page-html.js';

const SLUG = '^[a-z0-9][a-z0-9_-]{0,62}$';

/** GET /status/{slug}: the page as HTML, or a 404 page when there is none (or it is switched off). */
export async function publicStatusPageRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  app.get('/status/:slug', { schema: { hide: true, params: Type.Object({ slug: Type.String() }) } }, async (request, reply) => {
    const { slug } = request.params;
    const page = new RegExp(SLUG).test(slug) ? await statusPageBySlug(db, slug) : undefined;
    reply.headers(STATUS_PAGE_HEADERS).type('text/html; charset=utf-8');
    if (!page || page.enabled !== 1) return reply.code(404).send(renderNotFoundPage());
    return reply.send(await renderStatusPageInTurns(await loadStatusPage(db, page, runtime.clock.now())));
  });
}

const PageSchema = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  checks: Type.Array(Type.String({ format: 'uuid' })),
  url: Type.String(),
});

const PageInput = Type.Object(
  {
    slug: Type.String({ pattern: SLUG, description: 'the page lives at /status/{slug}; unique on this server' }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    enabled: Type.Optional(Type.Boolean({ description: 'false hides the page without forgetting it (default true)' })),
    checks: Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: MAX_STATUS_PAGE_CHECKS,
      description: 'check UUIDs or keys, in display order',
    }),
  },
  { additionalProperties: false },
);

/** Management of the workspace's status page (read to see it, write to change it). Registered under /api/v1. */
export async function statusPageManagementRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['status page'];
  const present = (row: StatusPageRow) => ({
    slug: row.slug,
    title: row.title,
    description: row.description,
    enabled: row.enabled === 1,
    checks: JSON.parse(row.check_ids) as string[],
    url: `${runtime.config.publicUrl}/status/${row.slug}`,
  });

  app.get(
    '/status-page',
    {
      onRequest: keyed(db, 'read'),
      schema: { tags, summary: "The workspace's public status page settings", response: { 200: PageSchema, ...errorResponses } },
    },
    async (request) => {
      const row = await statusPageOf(db, workspaceOf(request));
      if (!row) throw notFound('status_page_not_found', 'This workspace has no status page; create one with PUT /api/v1/status-page.');
      return present(row);
    },
  );

  app.put(
    '/status-page',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Create or change the public status page: its address, title and the checks it shows',
        body: PageInput,
        response: { 200: PageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const body = request.body;
      const ids: string[] = [];
      for (const ref of body.checks) {
        const check = await findCheck(db, workspaceId, ref);
        if (!check) throw badRequest('check_not_found', `No check "${ref}" in this workspace; list checks by UUID or 8-character key.`);
        if (!ids.includes(check.id)) ids.push(check.id);
      }
      if (await statusSlugTaken(db, body.slug, workspaceId)) {
        throw conflict('slug_taken', `The status page address "${body.slug}" is taken; choose another slug.`);
      }
      const now = runtime.clock.now();
      const existing = await statusPageOf(db, workspaceId);
      const row: StatusPageRow = {
        workspace_id: workspaceId,
        slug: body.slug,
        title: body.title,
        description: body.description ?? '',
        check_ids: JSON.stringify(ids),
        enabled: body.enabled === false ? 0 : 1,
        created_at: existing?.created_at ?? now,
        updated_at: now,
      };
      try {
        await saveStatusPage(db, row);
      } catch (error) {
        // Two workspaces claiming one slug at the same moment: the unique index decides.
        if (/unique|duplicate/i.test((error as Error).message))
          throw conflict('slug_taken', `The status page address "${body.slug}" is taken; choose another slug.`);
        throw error;
      }
      return present(row);
    },
  );

  app.delete(
    '/status-page',
    {
      onRequest: keyed(db, 'write'),
      schema: { tags, summary: 'Remove the public status page', response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      if (!(await deleteStatusPage(db, workspaceOf(request))))
        throw notFound('status_page_not_found', 'This workspace has no status page.');
      return reply.code(204).send(null);
    },
  );
}
