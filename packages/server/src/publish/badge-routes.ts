// Badges at unguessable read-only URLs (the scheme is in badge-urls.ts): per workspace, per check and per tag, as
// SVG, JSON summary or shields.io endpoint. The token names the workspace and reveals nothing but the status of its
// checks; rotating it retires old URLs.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import type { Db } from '../store/db.js';
import { listChecks } from '../store/checks.js';
import { ensureBadgeToken, rotateBadgeToken, workspaceOfBadgeToken } from '../store/publishing.js';
import { badRequest, notFound } from '../errors.js';
import { keyed } from '../api/auth.js';
import { workspaceOf } from '../api/context.js';
import { errorResponses } from '../api/schemas.js';
import { badgeLook, badgeShields, badgeSummary, badgeSvg, statesOf } from './badge-svg.js';
import { combinedStatus } from '../core/index.js';
import { badgeLinks, BADGE_FORMATS, type BadgeFormat } from './badge-urls.js';

const FILE = new RegExp(`^(.+)\\.(${BADGE_FORMATS.join('|')})$`);
const MAX_TAG_CHECKS = 10_000;

interface BadgeRequest {
  name: string;
  format: BadgeFormat;
  states: 2 | 3;
}

function parse(file: string, states: string | undefined): BadgeRequest {
  const match = FILE.exec(file);
  if (!match) throw notFound('badge_not_found', `Badge URLs end in ${BADGE_FORMATS.map((f) => `.${f}`).join(', ')}.`);
  if (states != null && states !== '2' && states !== '3') throw badRequest('invalid_field', 'states must be 2 (late shows as up) or 3.');
  return { name: match[1], format: match[2] as BadgeFormat, states: states === '2' ? 2 : 3 };
}

/** Answers one badge: `label` over the combined status of `statuses` (the checks it covers). */
function send(reply: FastifyReply, label: string, statuses: string[], { format, states }: BadgeRequest) {
  const status = combinedStatus(statesOf(statuses, states));
  // Badges are embedded in READMEs behind caching proxies: ask them to revalidate every time.
  reply.header('cache-control', 'no-cache, max-age=0').header('x-content-type-options', 'nosniff');
  // An SVG opened on its own is a document: it may draw, never run script or load anything.
  if (format === 'svg') {
    return reply
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .type('image/svg+xml; charset=utf-8')
      .send(badgeSvg(badgeLook(label, status)));
  }
  reply.type('application/json; charset=utf-8');
  return reply.send(format === 'shields' ? badgeShields(badgeLook(label, status)) : badgeSummary(status, statuses));
}

async function workspaceForToken(db: Db, token: string): Promise<string> {
  const workspaceId = await workspaceOfBadgeToken(db, token);
  if (!workspaceId) throw notFound('badge_not_found', 'No badges at this address; the token may have been rotated.');
  return workspaceId;
}

/** The public badge routes (no key: the token in the URL is the credential). */
export async function badgeRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const query = Type.Object({ states: Type.Optional(Type.String()) });

  app.get(
    '/badge/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String() }), querystring: query } },
    async (request, reply) => {
      const badge = parse(request.params.file, request.query.states);
      const workspaceId = await workspaceForToken(db, badge.name);
      const workspace = await db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirstOrThrow();
      const checks = await db.selectFrom('checks').select('status').where('workspace_id', '=', workspaceId).limit(MAX_TAG_CHECKS).execute();
      return send(
        reply,
        workspace.name,
        checks.map((c) => c.status),
        badge,
      );
    },
  );

  app.get(
    '/badge/:token/:file',
    { schema: { hide: true, params: Type.Object({ token: Type.String(), file: Type.String() }), querystring: query } },
    async (request, reply) => {
      const { token, file } = request.params;
      const badge = parse(file, request.query.states);
      const workspaceId = await workspaceForToken(db, token);
      const check = await db
        .selectFrom('checks')
        .select(['name', 'status'])
        .where('workspace_id', '=', workspaceId)
        .where('slug', '=', badge.name)
        .executeTakeFirst();
      if (!check) throw notFound('badge_not_found', `No check with the slug "${badge.name}" here.`);
      return send(reply, check.name, [check.status], badge);
    },
  );

  app.get(
    '/badge/:token/tag/:file',
    { schema: { hide: true, params: Type.Object({ token: Type.String(), file: Type.String() }), querystring: query } },
    async (request, reply) => {
      const { token, file } = request.params;
      const badge = parse(file, request.query.states);
      const workspaceId = await workspaceForToken(db, token);
      const statuses = (await listChecks(db, workspaceId, { tag: badge.name }, MAX_TAG_CHECKS, null)).map((c) => c.status);
      if (statuses.length === 0) throw notFound('badge_not_found', `No check has the tag "${badge.name}".`);
      return send(reply, badge.name, statuses, badge);
    },
  );
}

const BadgeLinks = Type.Object({ svg: Type.String(), json: Type.String(), shields: Type.String() });

/** Management: where a workspace's badges are (read), and a new token (write). Registered under /api/v1. */
export async function badgeManagementRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const response = Type.Object({
    token: Type.String(),
    workspace: BadgeLinks,
    checks: Type.Array(Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), ...BadgeLinks.properties })),
    tags: Type.Array(Type.Object({ tag: Type.String(), ...BadgeLinks.properties })),
  });

  const describe = async (workspaceId: string, token: string) => {
    const checks = await listChecks(db, workspaceId, {}, MAX_TAG_CHECKS, null);
    const links = (target: Parameters<typeof badgeLinks>[2]) => badgeLinks(runtime.config.publicUrl, token, target);
    const tags = [...new Set(checks.flatMap((c) => JSON.parse(c.tags) as string[]))].sort();
    return {
      token,
      workspace: links({ kind: 'workspace' }),
      checks: checks.map((c) => ({ id: c.id, slug: c.slug, name: c.name, ...links({ kind: 'check', slug: c.slug }) })),
      tags: tags.map((tag) => ({ tag, ...links({ kind: 'tag', tag }) })),
    };
  };

  app.get(
    '/badges',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags: ['badges'],
        summary: 'Badge URLs of the workspace, every check and every tag (the token is made on first use)',
        response: { 200: response, ...errorResponses },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { token } = await ensureBadgeToken(db, workspaceId, runtime.clock.now());
      return describe(workspaceId, token);
    },
  );

  app.post(
    '/badges/rotate',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags: ['badges'],
        summary: 'Replace the badge token: every badge URL handed out so far stops working',
        response: { 200: response, ...errorResponses },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { token } = await rotateBadgeToken(db, workspaceId, runtime.clock.now());
      return describe(workspaceId, token);
    },
  );
}
