// Serves the built dashboard (packages/dashboard/dist): hashed assets cached for a year, index.html for every
// client route, and the security headers that keep the page from being framed, sniffed or injected into.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

/** Scripts and styles only from this origin, no inline code, no framing, no plugins, API calls to this origin only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  immutable: boolean;
}

function load(file: string, immutable: boolean): Asset {
  const body = fs.readFileSync(file);
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const compressible = /text|javascript|json|svg|manifest/.test(type) && body.length > 512;
  return {
    body,
    gzip: compressible ? gzipSync(body, { level: 9 }) : null,
    type,
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
    immutable,
  };
}

function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  // Dot files (the build's stamp) are bookkeeping, not part of the dashboard.
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
    });
}

const NOT_BUILT = Buffer.from(
  '<!doctype html><meta charset="utf-8"><title>Overdue</title><p>The dashboard has not been built. Run <code>npm run build</code> and restart Overdue. The API is at <a href="/api/v1/openapi.json">/api/v1</a>.</p>',
);

export interface Dashboard {
  /** Answers a browser's request for a client route (e.g. /checks/abc) with index.html; false when it is not one. */
  fallback(request: FastifyRequest, reply: FastifyReply): boolean;
}

/** Registers the dashboard's files; returns the SPA fallback for the not-found handler. */
export function dashboardRoutes(app: FastifyInstance, dir = DEFAULT_DASHBOARD_DIR): Dashboard {
  const assets = new Map<string, Asset>();
  for (const rel of walk(dir)) assets.set(`/${rel}`, load(path.join(dir, rel), rel.startsWith('assets/')));
  const index = assets.get('/index.html') ?? { body: NOT_BUILT, gzip: null, type: TYPES['.html'], etag: '"not-built"', immutable: false };
  assets.delete('/index.html');

  function send(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
    reply.headers(SECURITY_HEADERS);
    reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('etag', asset.etag);
    reply.header('vary', 'accept-encoding');
    reply.type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (asset.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip');
      return reply.send(asset.gzip);
    }
    return reply.send(asset.body);
  }

  for (const [url, asset] of assets) app.get(url, { schema: { hide: true } }, (request, reply) => send(request, reply, asset));
  app.get('/', { schema: { hide: true } }, (request, reply) => send(request, reply, index));

  return {
    fallback(request, reply) {
      const url = request.url.split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (/^\/(api|ping|healthz|assets)(\/|$)/.test(url) || path.extname(url)) return false;
      if (!String(request.headers.accept ?? '').includes('text/html')) return false;
      void send(request, reply, index);
      return true;
    },
  };
}
