// A real Overdue on a random loopback port with its own store (a SQLite file, or a fresh PostgreSQL database when
// OVERDUE_TEST_DATABASE=postgres), for tests that speak HTTP to it.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { ManualClock, type Clock } from '../../src/clock.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createApiKey, type Scope } from '../../src/auth/api-keys.js';
import { insertWorkspace } from '../../src/store/workspaces.js';
import { newId, newPingKey } from '../../src/store/ids.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './postgres.js';
import { apiRequest } from './http.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestServer {
  url: string;
  engine: 'sqlite' | 'postgres';
  /** The PostgreSQL database this server uses (unset on SQLite), for tools run beside it. */
  databaseUrl: string | undefined;
  server: RunningServer;
  clock: Clock;
  dataDir: string;
  /** The admin (write) key of the first workspace. */
  key: string;
  workspaceId: string;
  /** fetch against the server with the admin key unless `key` says otherwise (null: no key). */
  api(method: string, route: string, body?: unknown, key?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
  ping(route: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }>;
  /** Another workspace with a key of the given scope, for isolation tests. */
  otherWorkspace(scope?: Scope): Promise<{ workspaceId: string; key: string; pingKey: string }>;
  keyWithScope(scope: Scope): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** A manual clock: background loops stay off and the test drives scheduler.tick() / delivery.runOnce(). */
  clock?: ManualClock;
  env?: Record<string, string>;
  dataDir?: string;
}

/** A port the kernel just handed out and released: free unless another process grabs it first (then we retry). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-test-'));
  // A known port up front, so every part (ping URLs, notification links, the OpenAPI servers entry) sees the
  // real public URL; with port 0 they would capture "…:0" before the listener picks a port.
  // On PostgreSQL every server gets a database of its own, dropped on close, as every SQLite server gets its own file.
  const database: TestDatabase | null = TEST_ENGINE === 'postgres' && !options.env?.DATABASE_URL ? await createTestDatabase() : null;
  let started: RunningServer | undefined;
  for (let attempt = 1; !started; attempt += 1) {
    const config: Config = loadConfig({
      OVERDUE_PORT: String(await freePort()),
      OVERDUE_DATA_DIR: dataDir,
      OVERDUE_BOOTSTRAP_KEY: ADMIN_KEY,
      OVERDUE_SQLITE_SYNC: 'normal',
      OVERDUE_LOG_LEVEL: 'silent',
      ...(database ? { DATABASE_URL: database.url, OVERDUE_PG_POOL_SIZE: '4' } : {}),
      ...options.env,
    });
    try {
      started = await startServer(config, { clock: options.clock, background: options.clock == null, logLevel: 'silent' });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= 5) {
        await database?.drop();
        throw error;
      }
    }
  }
  const server = started;
  const workspaceId = (await server.runtime.store.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
  const url = server.url;
  const db = server.runtime.store.db;

  return {
    url,
    server,
    engine: server.runtime.store.engine,
    databaseUrl: server.runtime.config.databaseUrl,
    clock: server.runtime.clock,
    dataDir,
    key: ADMIN_KEY,
    workspaceId,
    api: (method, route, body, key = ADMIN_KEY) => apiRequest(url, method, route, body, key),
    async ping(route, init) {
      const response = await fetch(url + route, init);
      return { status: response.status, text: await response.text(), headers: response.headers };
    },
    async otherWorkspace(scope = 'write') {
      const id = newId();
      const pingKey = newPingKey();
      await insertWorkspace(db, { id, name: `other-${id.slice(0, 4)}`, ping_key: pingKey, settings: '{}', created_at: Date.now() });
      const { key } = await createApiKey(db, id, 'other', scope, Date.now());
      return { workspaceId: id, key, pingKey };
    },
    async keyWithScope(scope) {
      return (await createApiKey(db, workspaceId, `${scope} key`, scope, Date.now())).key;
    },
    async close() {
      await server.close();
      await database?.drop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { ManualClock };
