// One Overdue per SQLite data directory: two would run two schedulers and two delivery workers on one file (and
// trip over each other's locks). The first to start holds an exclusive SQLite lock on data/overdue.lock for as long
// as it runs; the operating system drops it when the process ends, however it ends, so there is nothing stale to
// clean up after a crash. Read-only tools (backup, doctor) and `key create` do not take it.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';

export class DataDirInUse extends Error {
  readonly code = 'data_dir_in_use';
}

export interface DataDirLock {
  release(): void;
}

/** Takes the data directory's lock, or throws DataDirInUse naming the process that holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'overdue.lock');
  const pidFile = path.join(dataDir, 'overdue.pid');
  // timeout 0: a held lock is an answer now, not after a wait.
  const db = new SqliteDatabase(lockFile, { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY' && (error as { code?: string }).code !== 'SQLITE_LOCKED') throw error;
    let holder = 'another process';
    try {
      const pid = fs.readFileSync(pidFile, 'utf8').trim();
      if (/^\d+$/.test(pid)) holder = `pid ${pid}`;
    } catch {
      // No pid file yet: the other one is just starting.
    }
    throw new DataDirInUse(
      `another Overdue (${holder}) is using ${dataDir}; stop it first, or give this one its own OVERDUE_DATA_DIR (several instances need PostgreSQL: see docs/operations/scaling.md).`,
    );
  }
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        if (fs.readFileSync(pidFile, 'utf8').trim() === String(process.pid)) fs.rmSync(pidFile, { force: true });
      } catch {
        // Already gone.
      }
      db.close();
    },
  };
}
