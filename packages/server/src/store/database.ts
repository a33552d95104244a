// Opens the store: embedded SQLite by default, PostgreSQL when DATABASE_URL says so. Same Kysely interface either way.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import { SqliteDialectKeepingErrors } from './sqlite-dialect.js';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { registerDirectRunner } from './prepared.js';
import { allRows } from './sqlite-rows.js';
import { PgChangeBus, type ChangeBus } from './change-bus.js';
import { MINUTE_MS } from '../core/index.js';
import { WalSync } from './wal-sync.js';
import { CheckRowCache } from './check-row-cache.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, for people: a file path or a redacted URL. */
  location: string;
  /** PostgreSQL only: change notifications between the instances sharing the database (LISTEN/NOTIFY). */
  changeBus?: ChangeBus;
  /** SQLite with synchronous=FULL only: lets a group commit sync the WAL off the event loop (wal-sync.ts). */
  walSync?: WalSync;
  /** SQLite only (one writer): the check rows ingest found, kept between batches (check-row-cache.ts). */
  checkRowCache?: CheckRowCache;
  /** Runs `work` while no other instance runs work under the same name (an advisory lock; SQLite: just runs it). */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Runs `work` with a handle whose statements have no time limit (schema changes on big tables). */
  unbounded<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl?: string;
  dataDir: string;
  /** SQLite only: FULL syncs the WAL on every commit (power-loss safe); NORMAL survives process crashes only. */
  sqliteSync?: 'full' | 'normal';
  /** PostgreSQL only: connections in the pool. */
  poolSize?: number;
  statementTimeoutMs?: number;
}

// BIGINT and COUNT(*) arrive from PostgreSQL as strings; our values (epoch ms, counters) fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openSqlite(options);
}

/** Where the embedded store keeps its data: one file (plus -wal and -shm beside it while it is open). */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'overdue.db');
}

function openSqlite(options: StoreOptions): Store {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = sqliteFile(options.dataDir);
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${options.sqliteSync === 'normal' ? 'NORMAL' : 'FULL'}`);
  // Short: the wait is synchronous and freezes the whole process. Transactions retry SQLITE_BUSY after async pauses.
  raw.pragma('busy_timeout = 20');
  raw.pragma('cache_size = -65536');
  if (process.env.OVERDUE_SQLITE_AUTOCHECKPOINT) raw.pragma(`wal_autocheckpoint = ${Number(process.env.OVERDUE_SQLITE_AUTOCHECKPOINT)}`);
  const cached = withStatementCache(raw);
  const walSync = options.sqliteSync === 'normal' ? undefined : new WalSync(raw, `${file}-wal`);
  const db = new Kysely<Database>({ dialect: new SqliteDialectKeepingErrors(raw, { database: cached }) });
  registerDirectRunner(db, (sql, parameters) => {
    const stmt = cached.prepare(sql);
    if (stmt.reader) return allRows(stmt, parameters);
    stmt.run(parameters);
    return [];
  });
  return {
    db,
    engine: 'sqlite',
    location: file,
    walSync,
    checkRowCache: new CheckRowCache(raw),
    exclusive: (_name, work) => work(),
    unbounded: (work) => work(db),
    close: async () => {
      await db.destroy();
      await walSync?.close();
    },
  };
}

/** Kysely prepares every query afresh; reusing prepared statements keeps the ingest path cheap. */
function withStatementCache(raw: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = raw.prepare(sql);
        if (cache.size >= 1000) cache.clear();
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

function openPostgres(url: string, options: StoreOptions): Store {
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const pool = quietPool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A statement (or a lock wait) longer than this is cancelled: a stuck query answers 503 instead of piling up.
    statement_timeout: statementTimeout || undefined,
    // A transaction left open by a stalled client must not hold check locks for long.
    idle_in_transaction_session_timeout: MINUTE_MS,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: nulFreePool(pool) }) });
  return {
    db,
    engine: 'postgres',
    location: redactUrl(url),
    changeBus: new PgChangeBus(url, db),
    exclusive: (name, work) => withAdvisoryLock(url, name, work),
    async unbounded(work) {
      const once = new Kysely<Database>({ dialect: new PostgresDialect({ pool: quietPool({ connectionString: url, max: 1 }) }) });
      try {
        return await work(once);
      } finally {
        await once.destroy();
      }
    },
    close: () => db.destroy(),
  };
}

/**
 * A pool whose connections, lost while idle or while checked out (a database restart), do not crash the process:
 * the query in flight fails, the pool drops the broken client, and the next query opens a new connection.
 */
function quietPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores without complaint (a binary ping body, a name sent as
 * JSON "\u0000"). Every string parameter has its NULs replaced by U+FFFD on the way in, so the same input is
 * accepted on both engines instead of failing with "invalid byte sequence" on one.
 */
function nulFreePool(pool: pg.Pool) {
  const cleanValue = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v;
    return Array.isArray(v) ? v.map(cleanValue) : v;
  };
  const clean = (values: unknown) => (Array.isArray(values) ? values.map(cleanValue) : values);
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      return {
        query: (text: unknown, values?: unknown) => client.query(text as string, clean(values) as unknown[]),
        release: () => client.release(),
      };
    },
  } as unknown as pg.Pool;
}

/**
 * Runs `work` while holding a PostgreSQL session advisory lock named `name`, on a connection of its own: instances
 * starting at once run it one after the other. The lock goes with the session if the process dies.
 */
async function withAdvisoryLock<T>(url: string, name: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    return await work();
  } finally {
    // Ending the session releases the lock even if the unlock is never sent.
    await client.end().catch(() => {});
  }
}

/** A DATABASE_URL fit to print: the password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date. Run it through prepareStore (or store.exclusive) when instances may start at once. */
export async function migrate(store: Store): Promise<string[]> {
  // Without the statement timeout: a migration may rewrite a large table.
  const { error, results } = await store.unbounded((db) => new Migrator({ db, provider }).migrateToLatest());
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
