// Operator commands: backup (an online SQLite snapshot) and doctor (what this installation looks like).
import type { Command } from 'commander';
import { config, fail } from './server-commands.js';
import { sqliteFile } from '../store/database.js';
import { backupSqlite, BackupError } from '../store/backup.js';
import { diagnose, formatReport } from './doctor.js';

export function registerOperationsCommands(program: Command): void {
  program
    .command('backup')
    .argument('<file>', 'where to write the copy (must not exist yet)')
    .description('write a consistent copy of the SQLite store, safe while the server runs (see docs/operations/backup.md)')
    .action((file: string) => {
      const cfg = config();
      if (cfg.databaseUrl)
        fail('the store is PostgreSQL (DATABASE_URL is set): back it up with pg_dump, e.g. `pg_dump -Fc "$DATABASE_URL" > overdue.dump`.');
      try {
        const result = backupSqlite(sqliteFile(cfg.dataDir), file);
        const c = result.counts;
        process.stdout.write(
          `backup written: ${result.file} (${(result.bytes / 1048576).toFixed(1)} MB in ${result.ms} ms)\n` +
            `  schema ${result.schema ?? '(none)'}; ${c.workspaces} workspace(s), ${c.checks} checks, ${c.signals} signals, ${c.runs} runs, ${c.flips} flips, ${c.incidents} incidents; integrity ok\n`,
        );
      } catch (error) {
        if (error instanceof BackupError) fail(error.message);
        throw error;
      }
    });

  program
    .command('doctor')
    .description('print what Overdue sees: configuration, store, schema, counts, outbound settings, port (exit 1 on a problem)')
    .action(async () => {
      const report = await diagnose(process.env);
      process.stdout.write(formatReport(report));
      if (report.problems > 0) process.exitCode = 1;
    });
}
