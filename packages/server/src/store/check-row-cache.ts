// SQLite only: the check rows ingest found, kept between batches, so a ping skips its `select * from checks` (about
// as much as the rest of its store work: a check row has some sixty columns to read and convert). SQLite has one
// writer, this process, and every write goes through its one connection; TEMP triggers on that connection tell
// the cache about every write to a check or a workspace made outside an ingest batch, and a commit by another
// process (a CLI command) is seen through data_version. PostgreSQL has several writers and never uses it.
import type BetterSqlite3 from 'better-sqlite3';
import type { CheckRow } from './schema.js';
import { STATE_COLUMNS } from './check-rows.js';

const MAX_ENTRIES = 100_000;

export class CheckRowCache {
  /** A check may be pinged by several refs (id, key, slug URL): each names its id, and the row is kept once. */
  private readonly idByRef = new Map<string, string>();
  private readonly rowById = new Map<string, CheckRow>();
  private readonly refsById = new Map<string, Set<string>>();
  /** True while an ingest batch runs: its own state writes are what it will store here itself. */
  private inBatch = false;
  /** Checks written during the batch besides their state (a flip, an attribution): not cached from the batch. */
  private readonly writtenInBatch = new Set<string>();
  private installed = false;
  private dataVersion: BetterSqlite3.Statement | null = null;
  private seenVersion = -1;

  constructor(private readonly raw: BetterSqlite3.Database) {}

  /**
   * Starts a batch (inside its transaction): forgets everything if another process committed since the last one.
   * The triggers are installed on first use, once migrations have made the tables they watch.
   */
  beginBatch(): void {
    if (!this.installed) this.install();
    const version = (this.dataVersion!.get() as { data_version: number }).data_version;
    if (version !== this.seenVersion) {
      this.clear();
      this.seenVersion = version;
    }
    this.inBatch = true;
    this.writtenInBatch.clear();
  }

  /** The cached row for a refKey, if any. */
  get(ref: string): CheckRow | undefined {
    const id = this.idByRef.get(ref);
    return id === undefined ? undefined : this.rowById.get(id);
  }

  /**
   * Ends a batch. `committed`: its rows by the refs that found them, as they are now (after the commit); null when
   * it rolled back, and rows it changed in memory may not match the store: everything is forgotten then.
   */
  endBatch(committed: Map<string, CheckRow> | null): void {
    this.inBatch = false;
    if (!committed) {
      this.clear();
      return;
    }
    if (this.idByRef.size + committed.size > MAX_ENTRIES) this.clear();
    for (const [ref, row] of committed) {
      if (this.writtenInBatch.has(row.id)) continue;
      this.idByRef.set(ref, row.id);
      let refs = this.refsById.get(row.id);
      if (!refs) this.refsById.set(row.id, (refs = new Set()));
      refs.add(ref);
      // A copy: whoever hears of the batch gets the same objects, and must not be able to change the cache's.
      this.rowById.set(row.id, { ...row });
    }
    for (const id of this.writtenInBatch) this.forget(id);
    this.writtenInBatch.clear();
  }

  /** Forgets a check and every ref that found it (a changed key or slug must not keep finding it). */
  private forget(id: string): void {
    this.rowById.delete(id);
    for (const ref of this.refsById.get(id) ?? []) this.idByRef.delete(ref);
    this.refsById.delete(id);
  }

  private clear(): void {
    this.idByRef.clear();
    this.rowById.clear();
    this.refsById.clear();
  }

  private install(): void {
    const columns = (this.raw.prepare("select name from pragma_table_info('checks')").all() as { name: string }[]).map((c) => c.name);
    const state = new Set<string>(STATE_COLUMNS);
    const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
    // Called by the triggers: a check's settings changed (any time), or its state changed outside a batch, or
    // (null) something that may change which check a ref names (a new check, a workspace's ping key).
    // Called by the triggers: a check's settings changed (any time) or its state changed outside a batch; or (null)
    // something changed that may change which check a ref names (a new check, a workspace's ping key).
    this.raw.function('overdue_cached_check_changed', { deterministic: false }, (id: unknown) => {
      if (id == null) this.clear();
      else if (this.inBatch) this.writtenInBatch.add(String(id));
      else this.forget(String(id));
      return null;
    });
    this.raw.function('overdue_cached_state_changed', { deterministic: false }, (id: unknown) => {
      if (!this.inBatch) this.forget(String(id));
      return null;
    });
    this.raw.exec(`
      create temp trigger if not exists overdue_cache_check_settings after update of ${quoted(columns.filter((c) => !state.has(c)))} on main.checks
        begin select overdue_cached_check_changed(old.id); end;
      create temp trigger if not exists overdue_cache_check_state after update of ${quoted(columns.filter((c) => state.has(c)))} on main.checks
        begin select overdue_cached_state_changed(old.id); end;
      create temp trigger if not exists overdue_cache_check_deleted after delete on main.checks
        begin select overdue_cached_check_changed(old.id); end;
      create temp trigger if not exists overdue_cache_check_created after insert on main.checks
        begin select overdue_cached_check_changed(null); end;
      create temp trigger if not exists overdue_cache_workspace_changed after update on main.workspaces
        begin select overdue_cached_check_changed(null); end;
      create temp trigger if not exists overdue_cache_workspace_deleted after delete on main.workspaces
        begin select overdue_cached_check_changed(null); end;
    `);
    this.dataVersion = this.raw.prepare('pragma data_version');
    this.installed = true;
  }
}
