// SQLite with OVERDUE_SQLITE_SYNC=full: a group commit's fsync taken off the event loop. better-sqlite3 is
// synchronous, so a commit that syncs the WAL stops every request for the length of an fsync (a millisecond or more:
// most of the time durable ingest took). An ingest batch commits without the sync instead, and the WAL is then synced
// by a worker thread (wal-flusher.ts); nobody hears 2xx before that sync returned, so every answered signal is still
// on disk, while the event loop reads the next requests. Every other commit (API, scheduler) still syncs in place.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { WalFlusher } from './wal-flusher.js';

export class WalSync {
  private readonly syncOff: BetterSqlite3.Statement;
  private readonly syncOn: BetterSqlite3.Statement;
  private readonly flusher: WalFlusher;

  constructor(
    private readonly raw: BetterSqlite3.Database,
    walFile: string,
  ) {
    this.syncOff = raw.prepare('pragma synchronous = NORMAL');
    this.syncOn = raw.prepare('pragma synchronous = FULL');
    this.flusher = new WalFlusher(walFile);
  }

  /** Stops the sync worker (when the store closes). */
  close(): Promise<void> {
    return this.flusher.close();
  }

  /**
   * Runs `work` (its transactions) holding the store's one connection, whose commits skip their WAL sync meanwhile.
   * The caller must await synced() before telling anyone about what `work` committed.
   */
  withoutCommitSync<T>(db: Kysely<Database>, work: (connection: Kysely<Database>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (connection) => {
      // SQLite refuses to change the sync level inside a transaction: it is set around the transaction instead.
      this.syncOff.run();
      try {
        return await work(connection);
      } finally {
        // A transaction still open here was abandoned by a failed rollback; it must not keep the level down.
        if (this.raw.inTransaction) this.raw.exec('rollback');
        this.syncOn.run();
      }
    });
  }

  /**
   * Resolves once everything committed before the call is on disk: an fdatasync of the WAL started after the call.
   * Callers arriving while a sync runs share the next one, which starts as soon as the running one returns.
   */
  synced(): Promise<void> {
    return this.flusher.synced();
  }
}
