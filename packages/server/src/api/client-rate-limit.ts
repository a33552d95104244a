// The per-client-address rate limit at the HTTP edge: one address flooding the server is answered 429 before
// its requests cost routing, body parsing or a store transaction, so other clients keep their latency.
// Behind a reverse proxy every client has the proxy's address unless OVERDUE_TRUSTED_PROXIES names it: a refusal
// is therefore always counted (overdue_client_rate_limited_total) and logged, at most once a minute.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { RateLimiter } from '../rate-limiter.js';
import { errorBody } from '../errors.js';
import { MINUTE_MS } from '../core/index.js';

/** What a refused request was: a ping (a watched job's heartbeat), an API call, or anything else. */
export type RouteKind = 'ping' | 'api' | 'other';

const PING_ROUTES = new Set(['/api/v1/heartbeat/ping', '/v1/heartbeat/:id', '/api/heartbeat/:id', '/api/monitoring/heartbeat']);

/** The kind of a matched route (Fastify's pattern, e.g. /ping/:key), for metrics. */
export function routeKind(url: string | undefined): RouteKind {
  if (url == null) return 'other';
  if (url === '/ping' || url.startsWith('/ping/') || PING_ROUTES.has(url)) return 'ping';
  if (url.startsWith('/api/')) return 'api';
  return 'other';
}

/** Counts refusals and writes one summary line per minute, not one per request (a flood must not flood the log). */
export class RefusalLog {
  private counts = new Map<RouteKind, number>();
  private addresses = new Map<string, number>();
  private lastLine = -Infinity;

  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
    private readonly perSecond: number,
    private readonly everyMs = MINUTE_MS,
  ) {}

  note(kind: RouteKind, address: string, now: number): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (this.addresses.size < 1000 || this.addresses.has(address)) this.addresses.set(address, (this.addresses.get(address) ?? 0) + 1);
    // A refusal after a quiet minute is logged at once; those that follow wait for the next line's summary.
    if (now - this.lastLine >= this.everyMs) this.flush(now);
  }

  private flush(now: number): void {
    const refused = Object.fromEntries(this.counts);
    const top = [...this.addresses]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([address, n]) => `${address} (${n})`);
    const pings = this.counts.get('ping') ?? 0;
    this.log.warn(
      { refused, top_addresses: top },
      `per-client rate limit (${this.perSecond}/s) refused requests${pings ? `, ${pings} of them pings` : ''}, ` +
        `mostly from ${top.join(', ')}. Behind a reverse proxy every client has its address: set OVERDUE_TRUSTED_PROXIES.`,
    );
    this.counts.clear();
    this.addresses.clear();
    this.lastLine = now;
  }
}

/**
 * Limits every request by client address to `perSecond` (bursts of 10×). Elapsed time is measured on the
 * monotonic clock: a wall-clock jump neither unblocks a flood nor locks a client out. `refused` hears of each 429.
 */
export function installClientRateLimit(app: FastifyInstance, perSecond: number, refused?: (kind: RouteKind) => void): void {
  if (perSecond <= 0) return;
  const limiter = new RateLimiter(perSecond, perSecond * 10);
  const log = new RefusalLog(app.log, perSecond);
  app.addHook('onRequest', (request, reply, done) => {
    const now = performance.now();
    const decision = limiter.take(request.ip ?? 'unknown', now);
    if (decision.allowed) return done();
    const kind = routeKind(request.routeOptions?.url);
    refused?.(kind);
    log.note(kind, request.ip ?? 'unknown', now);
    reply
      .code(429)
      .header('retry-after', String(decision.retryAfterS))
      .send(
        errorBody(
          'rate_limited',
          `Too many requests from ${request.ip}; retry in ${decision.retryAfterS}s (limit ${perSecond}/s per client address).`,
        ),
      );
  });
}
