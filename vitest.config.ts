// Every suite runs once on SQLite; the server suites run again on PostgreSQL (a fresh database per test server).
// Without a reachable PostgreSQL the second run is skipped with a notice, except under CI=true, where it fails.
import { configDefaults, defineConfig } from 'vitest/config';
import { PG_ADMIN_URL, probePostgres } from './packages/server/test/support/postgres.js';

const shared = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };
// Suites that only make sense on PostgreSQL: several Overdue processes on one database, database restarts.
const postgresOnly = 'packages/server/test/store/postgres/**';

const wantPostgres = process.env.OVERDUE_TEST_POSTGRES !== 'skip';
const probe = wantPostgres ? await probePostgres() : { ok: false as const, reason: 'OVERDUE_TEST_POSTGRES=skip' };
if (!probe.ok) {
  const where = `PostgreSQL at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${probe.reason})`;
  if (process.env.CI === 'true') {
    throw new Error(
      `${where} is not available, and CI runs every server suite on PostgreSQL too. Start PostgreSQL or point OVERDUE_TEST_PG_URL at one.`,
    );
  }
  process.stderr.write(
    `\nNOTICE: ${where} is not available: the PostgreSQL run of the server suites is SKIPPED.\n` +
      'Start PostgreSQL (or set OVERDUE_TEST_PG_URL) to run it; under CI=true this is a failure.\n\n',
  );
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, postgresOnly],
        },
      },
      ...(probe.ok
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: ['packages/server/test/**/*.test.ts'],
                exclude: [
                  ...configDefaults.exclude,
                  // The core's specification tests are pure functions: no store, nothing to run twice.
                  'packages/server/test/core/**',
                  // The import-graph rule reads source files: nothing engine-specific.
                  'packages/server/test/architecture/**',
                  // These start their own server processes on the embedded store and read its file (SQLite crash
                  // durability, connection limits, the CLI end to end): they would only run the SQLite case again.
                  // Their PostgreSQL counterparts are in test/store/postgres (database restart, several processes);
                  // ingest/crash-ingest, secrets-in-logs and cli/doctor run their processes on PostgreSQL here.
                  'packages/server/test/scheduler/crash-scheduler.test.ts',
                  'packages/server/test/alerts/crash-delivery.test.ts',
                  'packages/server/test/connections.test.ts',
                  'packages/server/test/cli/serve.test.ts',
                  'packages/server/test/cli/startup-errors.test.ts',
                  // `overdue backup` copies the SQLite file; on PostgreSQL backups are pg_dump's job (and it says so).
                  'packages/server/test/cli/backup.test.ts',
                ],
                env: { OVERDUE_TEST_DATABASE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
