// Every route the application serves, as registered: the authorization matrix and the fuzz tests read this
// list, so a route added anywhere is tested (and must be classified) without anyone remembering to list it.
import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Routes registered so far, one entry per method (HEAD routes Fastify adds for GET included). */
    routeTable: RouteEntry[];
  }
}

/** Starts recording routes; call before any route is registered. */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method: String(method), url: route.url });
  });
}
