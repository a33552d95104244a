// Server-side commands: serve, migrate, key create. Each opens the store the same way the server does.
import type { Command } from 'commander';
import { loadConfig, ConfigError, isWildcard } from '../config.js';
import { migrate, openStore } from '../store/database.js';
import { prepareStore, STARTUP_LOCK } from '../startup.js';
import { createApiKey, parseScope } from '../auth/api-keys.js';
import { firstWorkspace, findWorkspace } from '../store/workspaces.js';
import { startServer } from '../server.js';
import { OverdueError } from '../errors.js';
import { explainStoreFailure } from '../store/open-errors.js';
import { DataDirInUse } from '../store/data-dir-lock.js';

/** Prints an actionable error and exits with status 1. */
export function fail(message: string): never {
  process.stderr.write(`overdue: ${message}\n`);
  process.exit(1);
}

/** Exits with the sentence for a store that cannot be opened; any other error is rethrown (a bug: its stack helps). */
function failOnStore(error: unknown, cfg: { databaseUrl?: string; dataDir: string }): never {
  const sentence = explainStoreFailure(error, cfg);
  if (sentence) fail(sentence);
  throw error;
}

/** The validated configuration, or an exit with the sentence that says what to fix. */
export function config() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('start the Overdue server (settings from OVERDUE_* environment variables)')
    .action(async () => {
      const cfg = config();
      const server = await startServer(cfg).catch((error: Error & { code?: string }) => {
        if (error.code === 'EADDRINUSE') fail(`port ${cfg.port} on ${cfg.host} is in use; set OVERDUE_PORT to another port.`);
        if (error instanceof DataDirInUse) fail(error.message);
        return failOnStore(error, cfg);
      });
      const where = server.runtime.store.location;
      process.stdout.write(
        `Overdue listening on ${server.url} (public URL ${cfg.publicUrl}), store: ${server.runtime.store.engine} ${where}\n`,
      );
      if (isWildcard(cfg.host) && cfg.sources.OVERDUE_PUBLIC_URL?.origin === 'default') {
        process.stdout.write(
          `Note: OVERDUE_PUBLIC_URL is not set, so ping URLs and links in alerts say ${cfg.publicUrl}, which only this machine reaches; set it to the address people and jobs use, e.g. OVERDUE_PUBLIC_URL=https://overdue.example.com.\n`,
        );
      }
      if (server.bootstrapped?.generatedKey) {
        process.stdout.write(
          `\nFirst start: created workspace "Default" with this admin API key (shown once, store it now):\n\n    ${server.bootstrapped.generatedKey}\n\n`,
        );
        process.stdout.write(`Open ${cfg.publicUrl} and give this key to create the dashboard's admin account.\n\n`);
      } else if (server.bootstrapped) {
        process.stdout.write('First start: created workspace "Default"; its admin key is OVERDUE_BOOTSTRAP_KEY.\n');
        process.stdout.write(`Open ${cfg.publicUrl} and give that key to create the dashboard's admin account.\n`);
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: finishing in-flight signals and stopping\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });

  program
    .command('migrate')
    .description('bring the database schema up to date (safe to run while other instances start)')
    .action(async () => {
      const cfg = config();
      const store = await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: 2 }).catch((error) =>
        failOnStore(error, cfg),
      );
      try {
        // Under the lock a starting server takes, so it is safe while instances start.
        const applied = await store.exclusive(STARTUP_LOCK, () => migrate(store)).catch((error) => failOnStore(error, cfg));
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      } finally {
        await store.close();
      }
    });

  const key = program.command('key').description('manage API keys');
  key
    .command('create')
    .description('create an API key and print it once')
    .option('-n, --name <name>', 'a name to recognise the key by', 'cli key')
    .option('-s, --scope <scope>', 'ping (alias heartbeat:write), read, or write (alias admin: everything)', 'write')
    .option('-w, --workspace <id>', 'workspace id (default: the first workspace)')
    .action(async (options: { name: string; scope: string; workspace?: string }) => {
      const cfg = config();
      const store = await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: 2 }).catch((error) =>
        failOnStore(error, cfg),
      );
      try {
        await prepareStore(store, cfg.bootstrapKey, Date.now()).catch((error) => failOnStore(error, cfg));
        const ws = options.workspace ? await findWorkspace(store.db, options.workspace) : await firstWorkspace(store.db);
        if (!ws) fail(`no workspace ${options.workspace ?? ''}`.trim());
        const scope = parseScope(options.scope);
        const created = await createApiKey(store.db, ws.id, options.name, scope, Date.now());
        process.stdout.write(`${created.key}\n`);
        // Say so when an alias was given, so "--scope admin" does not look like it made something else.
        const given = options.scope.trim().toLowerCase();
        const alias =
          given !== scope
            ? ` ("${given}" is another name for the ${scope} scope${scope === 'write' ? ', which can do everything an admin can' : ''})`
            : '';
        process.stderr.write(
          `created ${scope} key "${options.name}" (id ${created.id}) in workspace ${ws.name}${alias}; it is shown only now.\n`,
        );
      } catch (error) {
        if (error instanceof OverdueError) fail(error.message);
        throw error;
      } finally {
        await store.close();
      }
    });
}
