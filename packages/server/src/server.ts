// Starting and stopping a whole Overdue: store, migrations, first-run bootstrap, HTTP, scheduler, delivery.
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { hostAndPort, type Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openStore } from './store/database.js';
import type { Bootstrapped } from './auth/bootstrap.js';
import { prepareStore } from './startup.js';
import { createRuntime, type Runtime } from './runtime.js';
import { buildApp } from './app.js';
import { releaseStaleClaims } from './store/outbox.js';
import { lockDataDir } from './store/data-dir-lock.js';

export interface RunningServer {
  app: FastifyInstance;
  runtime: Runtime;
  /** The first-run result: the generated admin key, if one was made. */
  bootstrapped: Bootstrapped | null;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Start the scheduler, delivery and retention loops (tests with a manual clock drive them by hand). */
  background?: boolean;
  logLevel?: string;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = pino({ level: options.logLevel ?? config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] });
  // The embedded store has room for one server: a second on the same directory refuses before touching it.
  const dirLock = config.databaseUrl ? null : lockDataDir(config.dataDir);
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      sqliteSync: config.sqliteSync,
      poolSize: config.pgPoolSize,
      statementTimeoutMs: config.pgStatementTimeoutMs,
    });
  } catch (error) {
    dirLock?.release();
    throw error;
  }
  let runtime: Runtime | undefined;
  let app: FastifyInstance;
  let bootstrapped: Bootstrapped | null;
  try {
    ({ bootstrapped } = await prepareStore(store, config.bootstrapKey, clock.now()));
    // The embedded store has one process: claims left by a previous one (killed mid-send) can be released now
    // rather than after their lease. On PostgreSQL other instances may be sending; their leases lapse by themselves.
    if (store.engine === 'sqlite') await releaseStaleClaims(store.db, clock.now());
    runtime = createRuntime(config, store, clock, logger);
    app = await buildApp(runtime, logger);
    await runtime.bridge?.start();
    // `overdue serve` prints where it listens for people; Fastify's own JSON line would land in the middle of it.
    const level = logger.level;
    if (logger.levelVal < pino.levels.values.warn) logger.level = 'warn';
    try {
      await app.listen({ port: config.port, host: config.host });
    } finally {
      logger.level = level;
    }
  } catch (error) {
    // A start that fails half-way (a port in use, a database refusing) must not leave connections open.
    await runtime?.bridge?.stop().catch(() => {});
    await store.close().catch(() => {});
    dirLock?.release();
    throw error;
  }
  const running = runtime;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (options.background !== false) {
    running.scheduler.start();
    running.delivery.start();
    running.pruner.start();
  }
  let closing: Promise<void> | null = null;
  return {
    app,
    runtime: running,
    bootstrapped,
    url: `http://${hostAndPort(config.host, port)}`,
    close() {
      // Stop accepting (requests arriving now get 503), let in-flight signals commit and be answered, stop the
      // loops, hand back unsent notification claims, then close the store. Connections still open after the
      // grace period (a hung client, a live stream) are cut so a stop always ends.
      closing ??= (async () => {
        const grace = config.shutdownGraceMs;
        const cut = setTimeout(() => app.server.closeAllConnections(), grace);
        try {
          await app.close();
        } finally {
          clearTimeout(cut);
        }
        await running.ingest.drain();
        await running.pruner.stop();
        await running.scheduler.stop();
        await running.delivery.stop(grace);
        await running.bridge?.stop();
        await store.close();
        dirLock?.release();
      })();
      return closing;
    },
  };
}
