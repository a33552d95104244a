// The keyword filters of recently pinged checks, so a ping does not pay a store read before ingest (about as much as
// the rest of its work on SQLite). This instance's own changes replace entries at once; a change made by another
// instance (PostgreSQL) is seen within FRESH_MS. A check that is not found is never cached.
import type { KeywordFilter } from '../core/keyword-filter.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../live/change-feed.js';
import type { CheckRow } from '../store/schema.js';
import type { CheckRowCache } from '../store/check-row-cache.js';
import { refKey, type CheckRef } from '../store/checks.js';
import type { Db } from '../store/db.js';
import { keptSettingsFor, keywordFilterIn } from '../store/keyword-filters.js';

/** How long an entry is trusted without this instance hearing of a change: the bound on other instances' changes. */
export const FRESH_MS = 1000;
const MAX_ENTRIES = 20_000;

type Entry = { id: string; extra: string | null; filter: KeywordFilter | null; at: number };

export class KeywordFilterCache {
  private readonly entries = new Map<string, Entry>();
  /** Check id → the refs (id, key, slug URLs) cached for it. */
  private readonly refsOf = new Map<string, Set<string>>();

  /** `rows`: SQLite's check-row cache, exact (never stale): a check found there with no filter costs no lookup at all. */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    feed: ChangeFeed,
    private readonly rows?: CheckRowCache,
  ) {
    // 'local:' events only: listening to 'checks' would make every instance re-read other instances' changes.
    feed.on('local:checks', (rows: CheckRow[]) => {
      for (const row of rows) if (this.refsOf.has(row.id)) this.update(row.id, (e) => (e.extra === row.extra ? e : null));
    });
    feed.on('local:deleted', (row: CheckRow) => this.update(row.id, () => null));
  }

  /** The keyword filter of the check `ref` names (null: none, or no such check). */
  async filterFor(ref: CheckRef): Promise<KeywordFilter | null> {
    const key = refKey(ref);
    const row = this.rows?.get(key);
    if (row && !row.extra?.includes('filter_http_body')) return null;
    const now = this.clock.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < FRESH_MS && now >= cached.at) return cached.filter;
    const kept = await keptSettingsFor(this.db, ref);
    if (!kept) {
      this.entries.delete(key);
      return null;
    }
    if (this.entries.size >= MAX_ENTRIES) {
      this.entries.clear();
      this.refsOf.clear();
    }
    const entry: Entry = { id: kept.id, extra: kept.extra, filter: keywordFilterIn(kept.extra), at: now };
    this.entries.set(key, entry);
    let refs = this.refsOf.get(kept.id);
    if (!refs) this.refsOf.set(kept.id, (refs = new Set()));
    refs.add(key);
    return entry.filter;
  }

  /** Keeps or drops (null) each entry of a check. */
  private update(id: string, keep: (entry: Entry) => Entry | null): void {
    const refs = this.refsOf.get(id);
    if (!refs) return;
    for (const key of refs) {
      const entry = this.entries.get(key);
      if (entry && keep(entry) == null) {
        this.entries.delete(key);
        refs.delete(key);
      }
    }
    if (refs.size === 0) this.refsOf.delete(id);
  }
}
