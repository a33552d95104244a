// Queries on the hot paths (ingest, scheduler) are built and compiled by Kysely once per dialect, then run with
// fresh values: the same SQL on both engines without paying for query building on every signal.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const SENTINEL = '\u0000overdue-param:';

/** Runs SQL synchronously on the connection Kysely uses (embedded SQLite only). */
export type DirectRunner = (sql: string, parameters: unknown[]) => unknown[];
const directRunners = new WeakMap<object, DirectRunner>();

/**
 * Lets prepared queries skip Kysely's executor on an embedded SQLite store: they are only ever run inside a
 * transaction, on the single connection that transaction holds, so running them synchronously is the same work
 * without several promise hops per statement.
 */
export function registerDirectRunner(db: Kysely<Database>, run: DirectRunner): void {
  directRunners.set(db.getExecutor().adapter, run);
}

type Slot = { name: string } | { value: unknown };

/**
 * Defines a query whose parameters are named; `param(name)` stands for a value supplied at run time.
 * Returns a runner `(db, values) → rows` (for writes: [] or the RETURNING rows).
 */
export function prepared<P extends string, R = Record<string, unknown>>(
  build: (db: Kysely<Database>, param: (name: P) => never) => Compilable<unknown>,
) {
  const plans = new WeakMap<object, { sql: string; slots: Slot[] }>();
  return async (db: Kysely<Database>, values: Record<P, unknown>): Promise<R[]> => {
    const adapter = db.getExecutor().adapter;
    let plan = plans.get(adapter);
    if (!plan) {
      // The placeholder stands in any value position, whatever its column's type (hence `never`).
      const compiled = build(db, (name) => (SENTINEL + name) as never).compile();
      plan = {
        sql: compiled.sql,
        slots: compiled.parameters.map((v) =>
          typeof v === 'string' && v.startsWith(SENTINEL) ? { name: v.slice(SENTINEL.length) } : { value: v },
        ),
      };
      plans.set(adapter, plan);
    }
    const parameters = plan.slots.map((slot) => ('name' in slot ? values[slot.name as P] : slot.value));
    const direct = directRunners.get(adapter);
    if (direct && db.isTransaction) return direct(plan.sql, parameters) as R[];
    return (await db.executeQuery<R>(CompiledQuery.raw(plan.sql, parameters))).rows;
  };
}

/** One placeholder per column: the values of a prepared insert, or the assignments of a prepared update. */
export function placeholders<C extends string>(columns: readonly C[], param: (name: C) => never): Record<C, never> {
  return Object.fromEntries(columns.map((c) => [c, param(c)])) as Record<C, never>;
}
