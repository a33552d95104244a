// Live updates across instances: what this instance's feed reports is published on the change bus (coalesced, after
// commit); what other instances publish is re-read from the store and re-emitted on this instance's feed.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChangeBus, ChangeMessage } from '../store/change-bus.js';
import type { Database, CheckRow } from '../store/schema.js';
import type { ChangeFeed } from './change-feed.js';
import type { Logger } from '../logger.js';

export interface FeedBridgeOptions {
  bus: ChangeBus;
  feed: ChangeFeed;
  db: Kysely<Database>;
  log: Logger;
  /** Longest a change waits before it is published; changes in that window share one NOTIFY. */
  coalesceMs?: number;
}

export class FeedBridge {
  /** This instance, so it can ignore its own messages (its live views were told already). */
  readonly origin = randomUUID();
  private pending = new Map<string, { changed: Set<string>; deleted: Set<string> }>();
  private timer: NodeJS.Timeout | null = null;
  private publishing: Promise<void> = Promise.resolve();
  private readonly onLocalChecks = (rows: CheckRow[]) => this.queue(rows, 'changed');
  private readonly onLocalDeleted = (row: CheckRow) => this.queue([row], 'deleted');

  constructor(private readonly options: FeedBridgeOptions) {}

  async start(): Promise<void> {
    const { feed, bus, log } = this.options;
    feed.on('local:checks', this.onLocalChecks);
    feed.on('local:deleted', this.onLocalDeleted);
    await bus.listen({
      onMessage: (message) => void this.receive(message),
      onReconnect: () => {
        log.warn({}, 'live updates from other instances resumed; changes made meanwhile show on their next update');
        feed.emit('resync');
      },
      onError: (error) => log.warn({ err: error }, 'live updates from other instances interrupted; reconnecting'),
    });
  }

  async stop(): Promise<void> {
    this.options.feed.off('local:checks', this.onLocalChecks);
    this.options.feed.off('local:deleted', this.onLocalDeleted);
    this.flush();
    await this.publishing;
    await this.options.bus.close();
  }

  private queue(rows: Pick<CheckRow, 'id' | 'workspace_id'>[], kind: 'changed' | 'deleted'): void {
    for (const row of rows) {
      let entry = this.pending.get(row.workspace_id);
      if (!entry) this.pending.set(row.workspace_id, (entry = { changed: new Set(), deleted: new Set() }));
      entry[kind].add(row.id);
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.coalesceMs ?? 50);
      this.timer.unref?.();
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const messages: ChangeMessage[] = [...this.pending].map(([workspaceId, { changed, deleted }]) => ({
      origin: this.origin,
      workspaceId,
      changed: [...changed].filter((id) => !deleted.has(id)),
      deleted: [...deleted],
    }));
    this.pending.clear();
    // Best effort: a lost notification only delays what another instance's live views show, never stored data.
    this.publishing = this.publishing
      .then(() => this.options.bus.publish(messages))
      .catch((error) => this.options.log.warn({ err: error }, 'could not tell other instances about changes'));
  }

  private async receive(message: ChangeMessage): Promise<void> {
    const { feed, db, log } = this.options;
    if (message.origin === this.origin) return;
    for (const id of message.deleted) feed.emit('deleted', { id, workspace_id: message.workspaceId });
    // Re-reading costs a query; without anyone watching live there is nothing to re-read for.
    if (message.changed.length === 0 || feed.listenerCount('checks') === 0) return;
    try {
      const rows = await db
        .selectFrom('checks')
        .selectAll()
        .where('workspace_id', '=', message.workspaceId)
        .where('id', 'in', message.changed)
        .execute();
      feed.remoteChecksChanged(rows);
    } catch (error) {
      log.warn({ err: error }, 'could not re-read checks another instance changed');
    }
  }
}
