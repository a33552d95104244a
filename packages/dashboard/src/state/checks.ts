// Every check of the workspace in memory, loaded page by page through the cursor API and kept current by the
// live stream. Views filter, sort and group it locally, so 10,000 checks stay instant to search.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api/client';
import { onLive } from '../api/events';
import type { Check, Page } from '../api/types';

const FIRST_PAGE = 100;
const PAGE = 1000;

class ChecksStore {
  byId = new Map<string, Check>();
  /** Bumped on every change, so views can memoise on it. */
  version = 0;
  complete = false;
  loading = false;
  error: string | null = null;
  private generation = 0;
  private listeners = new Set<() => void>();
  private frame = 0;

  constructor() {
    onLive({
      checks: (items) => this.upsert(items),
      deleted: (ids) => this.remove(ids),
      resumed: () => void this.reload(),
    });
  }

  /** Loads everything again (first page fast, then the rest in large pages). */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.error = null;
    const seen = new Set<string>();
    let cursor: string | null = null;
    let limit = FIRST_PAGE;
    try {
      do {
        const page: Page<Check> = await get(`/checks?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (generation !== this.generation) return;
        for (const check of page.items) {
          seen.add(check.id);
          // A live update that arrived while this page was in flight may be newer than the page.
          const known = this.byId.get(check.id);
          if (!known || known.updated_at <= check.updated_at) this.byId.set(check.id, check);
        }
        if (page.next_cursor == null) {
          for (const id of [...this.byId.keys()]) if (!seen.has(id)) this.byId.delete(id);
          this.complete = true;
        }
        this.changed();
        cursor = page.next_cursor;
        limit = PAGE;
      } while (cursor);
    } catch (error) {
      if (generation === this.generation) this.error = (error as Error).message;
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.changed();
      }
    }
  }

  clear(): void {
    this.generation += 1;
    this.byId = new Map();
    this.complete = false;
    this.changed();
  }

  upsert(items: Check[]): void {
    for (const check of items) this.byId.set(check.id, check);
    if (items.length) this.changed();
  }

  remove(ids: string[]): void {
    let any = false;
    for (const id of ids) any = this.byId.delete(id) || any;
    if (any) this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Coalesces bursts of changes into one render per animation frame. */
  private changed(): void {
    this.version += 1;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.listeners.forEach((fn) => fn());
    });
  }
}

export const checksStore = new ChecksStore();

export function useChecksStore(): ChecksStore {
  const [, setVersion] = useState(0);
  useEffect(() => checksStore.subscribe(() => setVersion(checksStore.version)), []);
  return checksStore;
}
