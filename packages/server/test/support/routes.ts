// The routes of a running app, as it registered them, and a classification table that must cover every one.
import type { TestServer } from './server.js';

export interface Route {
  method: string;
  url: string;
}

/** Every method × URL pattern the app serves (from the route table app.ts records), sorted. */
export function routesOf(t: TestServer): Route[] {
  const seen = new Set<string>();
  const routes: Route[] = [];
  for (const { method, url } of t.server.app.routeTable) {
    const id = `${method} ${url}`;
    if (seen.has(id)) continue;
    seen.add(id);
    routes.push({ method, url });
  }
  return routes.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

/** A table entry matches a route by exact "METHOD /url" or by a pattern (dashboard assets have hashed names). */
export interface Classified<T> {
  route: string | RegExp;
  value: T;
}

export function classify<T>(table: Classified<T>[], route: Route): T | undefined {
  const id = `${route.method} ${route.url}`;
  return table.find((e) => (typeof e.route === 'string' ? e.route === id : e.route.test(id)))?.value;
}

/** Routes the table does not cover, as a sentence that says where to classify them. */
export function unclassified<T>(table: Classified<T>[], routes: Route[], file: string): string[] {
  return routes.filter((r) => classify(table, r) === undefined).map((r) => `${r.method} ${r.url} is not classified: add it to ${file}`);
}
