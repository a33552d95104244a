// SQLite with OVERDUE_SQLITE_SYNC=full: a group commit's fsync taken off the event loop. better-sqlite3 is
// synchronous, so a commit that syncs the WAL stops every request for the length of an fsync (a millisecond or more:
// most of the time durable ingest took). An ingest batch commits without the sync instead, and the WAL is then synced
// on libuv's thread pool; nobody hears 2xx before that sync returned, so every answered signal is still on disk,
// while the event loop reads the next requests. Every other commit (API, scheduler) still syncs in place.
import fs from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Syncs running at once: libuv's pool has 4 threads, and other file work (the dashboard's files, backups) needs one. */
const SYNCS_AT_ONCE = 3;

export class WalSync {
  private readonly syncOff: BetterSqlite3.Statement;
  private readonly syncOn: BetterSqlite3.Statement;
  /** Syncs running now; the sync every later caller shares once all slots are busy, and its start. */
  private running = 0;
  private next: Promise<void> | null = null;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly raw: BetterSqlite3.Database,
    private readonly walFile: string,
  ) {
    this.syncOff = raw.prepare('pragma synchronous = NORMAL');
    this.syncOn = raw.prepare('pragma synchronous = FULL');
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
   * Syncs overlap (up to SYNCS_AT_ONCE): a sync that rewrites WAL pages in place takes a fraction of a millisecond
   * and concurrent ones share the device's flush, so a batch need not wait for the previous batch's sync to end.
   * Callers arriving while every slot is busy share the next sync to start.
   */
  synced(): Promise<void> {
    if (this.running < SYNCS_AT_ONCE) return this.sync();
    if (!this.next) {
      this.next = new Promise<void>((resolve, reject) => this.waiting.push(() => this.sync().then(resolve, reject)));
    }
    return this.next;
  }

  private async sync(): Promise<void> {
    this.running += 1;
    try {
      // Opened each time (a few µs beside the sync itself): a handle kept open could outlive the file it names.
      const handle = await fs.open(this.walFile, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } finally {
      this.running -= 1;
      const start = this.waiting.shift();
      if (start) {
        this.next = null;
        start();
      }
    }
  }
}
