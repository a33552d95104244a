// The authorization matrix's table: for every route the app serves, the exact status each kind of credential
// must get, the body that makes the permitted call a real success, and the fixtures that fill its parameters.
import type { Classified, Route } from './routes.js';

export const CREDENTIALS = ['none', 'ping', 'read', 'write', 'other'] as const;
export type Credential = (typeof CREDENTIALS)[number];
export type Statuses = Record<Credential, number>;

export interface Expectation {
  statuses: Statuses;
  /** The JSON body to send, if any (a function makes it from fresh fixtures). */
  body?: unknown | ((f: Fixtures) => Promise<unknown>);
  /** The body signs a person in: the answer shows their own workspaces, whichever key came along. */
  signsIn?: true;
  /** The body carries the credential (an invitation's token): the answer is about what the token names. */
  tokenInBody?: true;
}

/** Fresh resources of the first workspace (the one the ping, read and write keys belong to). */
export interface Fixtures {
  workspaceId: string;
  /** A project whose jobs reported from a host (Hexcovery attribution). */
  project: string;
  check(): Promise<{ id: string; key: string; name: string }>;
  pausedCheck(): Promise<string>;
  /** A check with one ping that carried a body, and that ping's number in the healthchecks.io API. */
  pingedCheck(): Promise<{ id: string; n: number }>;
  channel(): Promise<string>;
  /** A maintenance window of the workspace (issue 16). */
  maintenanceWindow(): Promise<string>;
  apiKey(): Promise<string>;
  /** An open incident (a check that failed). */
  incident(): Promise<string>;
  /** A notification queued for an incident. */
  notification(): Promise<string>;
  /** A viewer of the workspace (not its only admin). */
  member(): Promise<string>;
  /** A pending invitation to the workspace: its id and the token of its link. */
  invitation(): Promise<{ id: string; token: string }>;
  /** A service (Pinghome's grouping of heartbeats). */
  service(): Promise<string>;
  // Issue 9 (operations) fixtures.
  /** The first workspace's public badges: its token, a check's slug and a tag that check has. */
  badge(): Promise<{ token: string; slug: string; tag: string }>;
  /** The first workspace has an enabled status page (its slug is returned); the other workspace has none. */
  statusPage(): Promise<string>;
  // Issue 14 fixtures.
  /** The first workspace's 22-character ping key (Cronitor's /p/{key}/{monitor}). */
  pingKey(): Promise<string>;
}

/** Keyed routes: 401 without a key, 403 when the scope is too narrow, 404 for another workspace's resource. */
const read = (ok = 200): Statuses => ({ none: 401, ping: 403, read: ok, write: ok, other: 404 });
const write = (ok = 200): Statuses => ({ none: 401, ping: 403, read: 403, write: ok, other: 404 });
/** Collections: another workspace's key sees (or adds to) its own workspace only. */
const readCollection = (ok = 200): Statuses => ({ ...read(ok), other: ok });
const writeCollection = (ok = 200): Statuses => ({ ...write(ok), other: ok });
/** Keyed dialects that send signals (protocol.md §4): the ping scope or write; a read key may not send. */
const signal = (ok = 200): Statuses => ({ none: 401, ping: ok, read: 403, write: ok, other: 404 });
const open = (status: number): Statuses => ({ none: status, ping: status, read: status, write: status, other: status });

/** The route's URL (and query) with its parameters filled by fresh fixtures of the first workspace. */
export async function fill(route: Route, f: Fixtures): Promise<string> {
  let path = route.url;
  if (path === '/api/v3/checks/:code/pings/:n/body') {
    const { id, n } = await f.pingedCheck();
    path = path.replace(':code', id).replace(':n', String(n));
  }
  if (path === '/api/v3/checks/:code/resume') path = path.replace(':code', await f.pausedCheck());
  for (const param of [':check', ':code', ':monitor']) if (path.includes(param)) path = path.replace(param, (await f.check()).id);
  if (path.startsWith('/v1/heartbeat/:id')) path = path.replace(':id', (await f.check()).id);
  if (route.method === 'DELETE' && path === '/v1/heartbeat') path += `?id=${(await f.check()).id}`;
  if (path.startsWith('/api/v1/channels/:id')) path = path.replace(':id', await f.channel());
  if (path.startsWith('/api/v1/maintenance-windows/:id')) path = path.replace(':id', await f.maintenanceWindow());
  if (path.startsWith('/api/v1/keys/:id')) path = path.replace(':id', await f.apiKey());
  if (path.startsWith('/api/v1/incidents/:id')) path = path.replace(':id', await f.incident());
  if (path.startsWith('/api/v1/notifications/:id')) path = path.replace(':id', await f.notification());
  if (path.includes(':user')) path = path.replace(':user', await f.member());
  if (path.startsWith('/api/v1/invitations/:id')) path = path.replace(':id', (await f.invitation()).id);
  if (path.includes(':service')) path = path.replace(':service', await f.service());
  // Sentry Crons: a digit project id, a monitor slug and a DSN key that is no workspace's ping key.
  if (path.startsWith('/api/:projectId/'))
    path = path.replace(':projectId', '1').replace(':slug', 'matrix-job').replace(':sentryKey', 'NotAPingKeyOfAnyone123');
  if (path.includes(':project')) path = path.replace(':project', encodeURIComponent(f.project));
  if (path === '/ping/*') path = `/ping/${(await f.check()).key}`;
  if (path === '/api/push/:token') path = `/api/push/${(await f.check()).key}`;
  if (path.startsWith('/p/:key/')) path = path.replace(':key', await f.pingKey());
  // Issue 9 (operations): badge URLs carry the workspace's badge token; status pages are found by slug.
  if (path.startsWith('/badge/')) {
    const badge = await f.badge();
    path = path
      .replace(':token/tag/:file', `${badge.token}/tag/${badge.tag}.svg`)
      .replace(':token/:file', `${badge.token}/${badge.slug}.svg`)
      .replace(':file', `${badge.token}.svg`);
  }
  if (path === '/api/v1/status-page') await f.statusPage();
  if (path === '/status/:slug') path = `/status/${await f.statusPage()}`;
  if (/[:*]/.test(path)) throw new Error(`no fixture fills ${route.url}: teach fill() in test/support/authorization-table.ts`);
  return path;
}

const checkName = async (f: Fixtures) => ({ name: (await f.check()).name });

export const TABLE: Classified<Expectation>[] = [
  // The native management API (protocol.md §6).
  {
    route: 'POST /api/v1/checks',
    value: { statuses: writeCollection(201), body: { name: 'matrix', schedule: { kind: 'interval', period_s: 60 } } },
  },
  { route: /^(GET|HEAD) \/api\/v1\/checks$/, value: { statuses: readCollection() } },
  { route: /^(GET|HEAD) \/api\/v1\/checks\/:check$/, value: { statuses: read() } },
  { route: 'PATCH /api/v1/checks/:check', value: { statuses: write(), body: { description: 'changed' } } },
  { route: 'DELETE /api/v1/checks/:check', value: { statuses: write() } },
  { route: 'POST /api/v1/checks/:check/pause', value: { statuses: write() } },
  { route: 'POST /api/v1/checks/:check/resume', value: { statuses: write() } },
  // The matrix's check was not created by a ping: it proposes no schedule, so a writer is told so (409).
  { route: /^POST \/api\/v1\/checks\/:check\/proposed-schedule\/(accept|dismiss)$/, value: { statuses: write(409) } },
  { route: /^(GET|HEAD) \/api\/v1\/checks\/:check\/(runs|signals|flips|timeline|stats)$/, value: { statuses: read() } },
  // Maintenance windows and snooze (issue 16).
  { route: 'POST /api/v1/checks/:check/snooze', value: { statuses: write(), body: { duration_s: 3600 } } },
  {
    route: 'POST /api/v1/maintenance-windows',
    value: {
      statuses: writeCollection(201),
      body: async () => ({ name: `matrix-${Math.random().toString(36).slice(2)}`, cron: '0 2 * * *', duration_s: 600 }),
    },
  },
  { route: /^(GET|HEAD) \/api\/v1\/maintenance-windows$/, value: { statuses: readCollection() } },
  { route: /^(GET|HEAD) \/api\/v1\/maintenance-windows\/:id$/, value: { statuses: read() } },
  { route: 'PATCH /api/v1/maintenance-windows/:id', value: { statuses: write(), body: { reason: 'changed' } } },
  { route: 'DELETE /api/v1/maintenance-windows/:id', value: { statuses: write(204) } },
  {
    route: 'POST /api/v1/channels',
    value: { statuses: writeCollection(201), body: { kind: 'webhook', name: 'matrix', config: { url: 'https://example.com/hook' } } },
  },
  { route: /^(GET|HEAD) \/api\/v1\/channels$/, value: { statuses: readCollection() } },
  { route: /^(GET|HEAD) \/api\/v1\/channels\/:id$/, value: { statuses: read() } },
  { route: 'DELETE /api/v1/channels/:id', value: { statuses: write(204) } },
  { route: 'PATCH /api/v1/channels/:id', value: { statuses: write(), body: { name: 'renamed' } } },
  {
    route: 'POST /api/v1/channels/:id/checks',
    value: { statuses: write(), body: async (f: Fixtures) => ({ checks: [(await f.check()).id] }) },
  },
  { route: 'POST /api/v1/channels/:id/test', value: { statuses: write() } },
  { route: /^(GET|HEAD) \/api\/v1\/incidents$/, value: { statuses: readCollection() } },
  { route: /^(GET|HEAD) \/api\/v1\/incidents\/:id$/, value: { statuses: read() } },
  { route: 'POST /api/v1/incidents/:id/acknowledge', value: { statuses: write() } },
  // Publishing an incident that is not a draft changes nothing and answers it as it is.
  { route: 'POST /api/v1/incidents/:id/publish', value: { statuses: write() } },
  { route: /^(GET|HEAD) \/api\/v1\/notifications$/, value: { statuses: readCollection() } },
  { route: /^(GET|HEAD) \/api\/v1\/notifications\/:id$/, value: { statuses: read() } },
  // Retrying a notification that has not failed is a conflict, but only the workspace's writers get to learn that.
  { route: 'POST /api/v1/notifications/:id/retry', value: { statuses: write(409) } },
  { route: 'POST /api/v1/keys', value: { statuses: writeCollection(201), body: { name: 'matrix', scope: 'read' } } },
  // Keys are secrets of the workspace's administrators: even listing them needs write.
  { route: /^(GET|HEAD) \/api\/v1\/keys$/, value: { statuses: writeCollection() } },
  { route: 'DELETE /api/v1/keys/:id', value: { statuses: write(204) } },
  { route: /^(GET|HEAD) \/api\/v1\/workspace$/, value: { statuses: readCollection() } },
  // Rotating the ping key needs the admin role (a write key stands for it); another workspace's key rotates its own.
  { route: 'POST /api/v1/workspace/ping-key/rotate', value: { statuses: writeCollection() } },
  // Renaming needs the admin role, which a write key stands for; another workspace's key renames its own.
  { route: 'PATCH /api/v1/workspace', value: { statuses: writeCollection(), body: { name: 'matrix workspace' } } },
  { route: /^(GET|HEAD) \/api\/v1\/workspace\/alerting$/, value: { statuses: readCollection() } },
  { route: 'PATCH /api/v1/workspace/alerting', value: { statuses: writeCollection(), body: {} } },
  // Projects are labels within a workspace: another workspace's key asking for this project's hosts gets its own
  // (empty) roll-up, never this workspace's hosts.
  { route: /^(GET|HEAD) \/api\/v1\/projects$/, value: { statuses: readCollection() } },
  { route: /^(GET|HEAD) \/api\/v1\/projects\/:project\/hosts$/, value: { statuses: readCollection() } },
  // Live changes: an event stream of the caller's own workspace (its headers are the answer).
  { route: /^(GET|HEAD) \/api\/v1\/events$/, value: { statuses: readCollection() } },
  // Members: reading needs read, changes need the admin role (a write key); a member of this workspace is
  // not one of another workspace, whose key gets 404.
  { route: /^(GET|HEAD) \/api\/v1\/members$/, value: { statuses: readCollection() } },
  // Adding a member invites them (the link comes back when the server sends no mail).
  {
    route: 'POST /api/v1/members',
    value: {
      statuses: writeCollection(201),
      body: async () => ({ email: `m${Math.random().toString(36).slice(2)}@example.com`, role: 'viewer' }),
    },
  },
  // Invitations are managed by admins (a write key); another workspace's key sees its own, and not this one's.
  { route: /^(GET|HEAD) \/api\/v1\/invitations$/, value: { statuses: writeCollection() } },
  { route: 'DELETE /api/v1/invitations/:id', value: { statuses: write(204) } },
  { route: 'POST /api/v1/invitations/:id/renew', value: { statuses: write() } },
  // The link's token is the credential: keys sent along change nothing. Accepting makes the invited person's
  // account and signs them in (their own workspaces are the answer).
  {
    route: 'POST /api/v1/invitations/view',
    value: { statuses: open(200), tokenInBody: true, body: async (f: Fixtures) => ({ token: (await f.invitation()).token }) },
  },
  {
    route: 'POST /api/v1/invitations/accept',
    value: {
      statuses: open(201),
      signsIn: true,
      body: async (f: Fixtures) => ({ token: (await f.invitation()).token, name: 'Invited', password: 'matrix-password' }),
    },
  },
  { route: 'PATCH /api/v1/members/:user', value: { statuses: write(), body: { role: 'editor' } } },
  { route: 'DELETE /api/v1/members/:user', value: { statuses: write(204) } },

  // Dashboard sign-in is about a person: an API key is no session, so these answer as they do without one.
  { route: /^(GET|HEAD) \/api\/v1\/auth\/setup$/, value: { statuses: open(200) } },
  // The first admin exists (beforeAll), so setup is closed for good whatever key comes along.
  {
    route: 'POST /api/v1/auth/setup',
    value: {
      statuses: open(403),
      body: { name: 'Intruder', email: 'intruder@example.com', password: 'matrix-password', setup_key: 'od_not-an-admin-key' },
    },
  },
  {
    route: 'POST /api/v1/auth/login',
    value: { statuses: open(200), signsIn: true, body: { email: 'admin@example.com', password: 'matrix-password' } },
  },
  { route: 'POST /api/v1/auth/logout', value: { statuses: open(401) } },
  { route: /^(GET|HEAD) \/api\/v1\/auth\/session$/, value: { statuses: open(401) } },
  { route: 'PUT /api/v1/auth/session', value: { statuses: open(401), body: async (f: Fixtures) => ({ workspace_id: f.workspaceId }) } },
  { route: 'PATCH /api/v1/users/me', value: { statuses: open(401), body: { name: 'renamed' } } },
  // A key may not mint workspaces: creating one makes a person its admin, and a key is nobody.
  { route: 'POST /api/v1/workspaces', value: { statuses: open(401), body: { name: 'minted by a key' } } },

  // Public by design: the API's own description, the health probes, the dashboard's page and its files.
  { route: /^(GET|HEAD) \/api\/v1\/openapi\.json$/, value: { statuses: open(200) } },
  { route: /^(GET|HEAD) \/healthz$/, value: { statuses: open(200) } },
  { route: /^(GET|HEAD) \/api\/v3\/status\/?$/, value: { statuses: open(200) } },
  // The server hands out its own clients: the packed SDK and the shell script (they hold no secret).
  { route: /^(GET|HEAD) \/sdk\/overdue-sdk\.tgz$/, value: { statuses: open(200) } },
  { route: /^(GET|HEAD) \/install\/overdue\.sh$/, value: { statuses: open(200) } },
  { route: /^(GET|HEAD) \/$/, value: { statuses: open(200) } },
  // Built assets carry a content hash in their name; root files (favicon.svg, theme.js) do not.
  { route: /^(GET|HEAD) \/(assets\/[\w.-]+|[\w.-]+\.(js|css|svg|png|ico|txt|json|webmanifest|woff2))$/, value: { statuses: open(200) } },

  // Pings need no key (the check's id or key is the credential); keys sent along change nothing.
  { route: /^(GET|HEAD|POST) \/ping\/\*$/, value: { statuses: open(200) } },
  { route: /^(PUT|PATCH|DELETE) \/ping\/\*$/, value: { statuses: open(405) } },
  // A browser's CORS preflight is answered on ping routes (and is no ping).
  { route: /^OPTIONS \/(ping\/\*|api\/push\/:token|p\/:key\/:monitor)$/, value: { statuses: open(204) } },
  // Uptime Kuma pushes (every method) and Cronitor telemetry: the token or ping key in the URL is the credential.
  { route: /^(GET|HEAD|POST|PUT|PATCH|DELETE) \/api\/push\/:token$/, value: { statuses: open(200) } },
  { route: /^(GET|HEAD|POST) \/p\/:key\/:monitor$/, value: { statuses: open(200) } },

  // Hexcovery: a job is found by name in the key's workspace. Another workspace's key naming this workspace's
  // job creates a job of its own (201), never signals this one.
  { route: /^POST \/api\/v1\/heartbeat\/(start|log|end|ping)$/, value: { statuses: { ...signal(), other: 201 }, body: checkName } },
  // Kodo and Exemplar: the check's id in the URL or body, looked up in the key's workspace only.
  { route: /^(GET|HEAD|POST) \/api\/heartbeat\/:monitor$/, value: { statuses: signal() } },
  {
    route: 'POST /api/monitoring/heartbeat',
    value: { statuses: signal(), body: async (f: Fixtures) => ({ monitor_id: (await f.check()).id }) },
  },
  { route: /^(GET|HEAD) \/api\/monitoring\/heartbeat\/:monitor$/, value: { statuses: read() } },

  // Sentry Crons: the credential is the DSN's key (the workspace ping key, in the URL, query or X-Sentry-Auth);
  // API keys are not DSN keys, so every one of them is a 401 (test/dialects/sentry-*.test.ts send real ping keys).
  { route: /^POST \/api\/:projectId\/envelope\/?$/, value: { statuses: open(401), body: {} } },
  { route: /^(GET|POST) \/api\/:projectId\/cron\/:slug(\/:sentryKey)?\/?$/, value: { statuses: open(401) } },

  // Pinghome: the gateway checks in without credentials; a GET or HEAD that carries a key reads the heartbeat
  // instead (so a ping key, which may not read, is refused). POST always checks in.
  { route: /^(GET|HEAD) \/v1\/heartbeat\/:id$/, value: { statuses: { ...read(), none: 200 } } },
  { route: 'POST /v1/heartbeat/:id', value: { statuses: open(200) } },
  { route: 'POST /v1/heartbeat', value: { statuses: writeCollection(201), body: { service_id: 'matrix-service', name: 'matrix' } } },
  { route: 'PUT /v1/heartbeat/:id', value: { statuses: write(), body: { name: 'renamed' } } },
  { route: 'DELETE /v1/heartbeat/:id', value: { statuses: write() } },
  // Bulk delete (?id=…): an id of another workspace is not found there, and nothing is deleted.
  { route: 'DELETE /v1/heartbeat', value: { statuses: write() } },
  { route: /^(GET|HEAD) \/v1\/heartbeat\/:id\/(events|statistic)$/, value: { statuses: read() } },
  { route: /^(GET|HEAD) \/v1\/service\/:service\/heartbeats$/, value: { statuses: read() } },

  // healthchecks.io Management API v3: a write key is a read-write key, a read key a read-only one, which may
  // list and read checks, flips and badges but not pings, ping bodies or channels.
  { route: /^(GET|HEAD) \/api\/v3\/checks\/?$/, value: { statuses: readCollection() } },
  { route: /^POST \/api\/v3\/checks\/?$/, value: { statuses: writeCollection(201), body: { name: 'matrix' } } },
  { route: /^(GET|HEAD) \/api\/v3\/checks\/:code$/, value: { statuses: read() } },
  { route: 'POST /api/v3/checks/:code', value: { statuses: write(), body: { desc: 'changed' } } },
  { route: 'DELETE /api/v3/checks/:code', value: { statuses: write() } },
  { route: /^POST \/api\/v3\/checks\/:code\/(pause|resume)$/, value: { statuses: write() } },
  { route: /^(GET|HEAD) \/api\/v3\/checks\/:code\/flips\/?$/, value: { statuses: read() } },
  { route: /^(GET|HEAD) \/api\/v3\/checks\/:code\/pings\/?$/, value: { statuses: write() } },
  { route: /^(GET|HEAD) \/api\/v3\/checks\/:code\/pings\/:n\/body$/, value: { statuses: write() } },
  { route: /^(GET|HEAD) \/api\/v3\/channels\/?$/, value: { statuses: writeCollection() } },
  { route: /^(GET|HEAD) \/api\/v3\/badges\/?$/, value: { statuses: readCollection() } },

  // ---- Issue 9 (operations): metrics, badges, status pages ----
  // Process metrics are for the operator: open unless OVERDUE_METRICS_TOKEN is set (API keys play no part; no
  // workspace appears in them). The per-workspace series need a read key and show the key's own workspace.
  { route: /^(GET|HEAD) \/metrics$/, value: { statuses: open(200) } },
  { route: /^(GET|HEAD) \/api\/v1\/metrics$/, value: { statuses: readCollection() } },
  // Badge URLs are listed to readers; a new token is a writer's decision. Each workspace has its own token.
  { route: /^(GET|HEAD) \/api\/v1\/badges$/, value: { statuses: readCollection() } },
  { route: 'POST /api/v1/badges/rotate', value: { statuses: writeCollection() } },
  // The badges themselves: the token in the URL is the credential, keys sent along change nothing.
  { route: /^(GET|HEAD) \/badge\/(:file|:token\/:file|:token\/tag\/:file)$/, value: { statuses: open(200) } },
  // The status page settings: the other workspace has no page of its own (404); PUT makes one under a fresh slug.
  { route: /^(GET|HEAD) \/api\/v1\/status-page$/, value: { statuses: read() } },
  {
    route: 'PUT /api/v1/status-page',
    value: {
      statuses: writeCollection(),
      body: async () => ({ slug: `matrix-${Math.random().toString(36).slice(2, 10)}`, title: 'Matrix', checks: [] }),
    },
  },
  // Monitors as code: another workspace's key applies to (and exports) its own workspace only; a dry run changes nothing.
  { route: 'POST /api/v1/apply', value: { statuses: writeCollection(), body: { document: { checks: [] }, dry_run: true } } },
  { route: /^(GET|HEAD) \/api\/v1\/export$/, value: { statuses: readCollection() } },
  { route: 'DELETE /api/v1/status-page', value: { statuses: write(204) } },
  // The public page: no sign-in, by design.
  { route: /^(GET|HEAD) \/status\/:slug$/, value: { statuses: open(200) } },
  // ---- end of issue 9 ----
];
