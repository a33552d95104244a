// The in-process stream of check changes that live updates, workers and other instances listen to.
import { EventEmitter } from 'node:events';
import type { CheckRow } from '../store/schema.js';

/**
 * Live events: 'checks' (rows that changed), 'deleted' (a check that was deleted; from another instance only its
 * id and workspace_id), 'resync' (updates from other instances may have been missed). Used by SSE and to wake workers.
 * With several instances on PostgreSQL, the 'local:' events are what this instance publishes to the others.
 */
export class ChangeFeed extends EventEmitter {
  /** Rows this instance changed (after commit). */
  checksChanged(rows: CheckRow[]): void {
    if (rows.length === 0) return;
    this.emit('checks', rows);
    this.emit('local:checks', rows);
  }

  /** Rows another instance changed, as re-read from the store. */
  remoteChecksChanged(rows: CheckRow[]): void {
    if (rows.length) this.emit('checks', rows);
  }

  /** A check this instance deleted (after commit). */
  checkDeleted(row: CheckRow): void {
    this.emit('deleted', row);
    this.emit('local:deleted', row);
  }
}
