// An online backup of the embedded SQLite store: a consistent snapshot taken on a connection of its own while the
// server keeps writing. VACUUM INTO reads inside one transaction, so it sees one committed state (WAL lets writers
// go on meanwhile) and, unlike the page-copying backup API, never restarts because the source changed.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
  /** The newest migration in the copy. */
  schema: string | null;
  counts: Record<'workspaces' | 'checks' | 'signals' | 'runs' | 'flips' | 'incidents', number>;
}

export class BackupError extends Error {}

/** Copies the database at `source` to `destination` (which must not exist yet) and verifies the copy. */
export function backupSqlite(source: string, destination: string): BackupResult {
  const started = performance.now();
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source}: check OVERDUE_DATA_DIR.`);
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists: choose a new file name (a backup never overwrites).`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written beside the target first and renamed at the end: a half-written file never carries the backup's name.
  const partial = `${target}.partial-${process.pid}`;
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`The backup could not be written: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  let result: Omit<BackupResult, 'ms' | 'bytes' | 'file'>;
  try {
    result = inspectCopy(partial);
    const fd = fs.openSync(partial, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { file: target, bytes: fs.statSync(target).size, ms: Math.round(performance.now() - started), ...result };
}

/** Opens a copy, proves it is sound (integrity_check) and counts what it holds. */
export function inspectCopy(file: string): Omit<BackupResult, 'ms' | 'bytes' | 'file'> {
  const copy = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`The copy failed SQLite's integrity check: ${String(integrity)}`);
    const count = (table: string) => Number((copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
    const schema = copy.prepare('select name from kysely_migration order by name desc limit 1').get() as { name: string } | undefined;
    return {
      schema: schema?.name ?? null,
      counts: {
        workspaces: count('workspaces'),
        checks: count('checks'),
        signals: count('signals'),
        runs: count('runs'),
        flips: count('flips'),
        incidents: count('incidents'),
      },
    };
  } finally {
    copy.close();
  }
}
