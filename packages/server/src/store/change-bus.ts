// Change notifications between the instances that share one PostgreSQL database: a small NOTIFY after commit,
// and a LISTEN on a connection of its own that comes back by itself after a database restart.
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const CHANNEL = 'overdue_changes';
// NOTIFY payloads must stay under 8,000 bytes; ids are 36 characters, so a message carries up to ~150 of them.
const MAX_PAYLOAD = 7000;

/** Which checks of a workspace one instance changed or deleted. Ids only: receivers re-read the rows they need. */
export interface ChangeMessage {
  /** The instance that made the change (it has already told its own live views). */
  origin: string;
  workspaceId: string;
  changed: string[];
  deleted: string[];
}

export interface ChangeHandlers {
  onMessage(message: ChangeMessage): void;
  /** The listening connection was re-established: messages sent meanwhile were missed. */
  onReconnect(): void;
  onError(error: unknown): void;
}

export interface ChangeBus {
  /** Sends messages to every listening instance (this one included). */
  publish(messages: ChangeMessage[]): Promise<void>;
  /** Starts listening; resolves once the first attempt to listen has succeeded or failed (it keeps retrying). */
  listen(handlers: ChangeHandlers): Promise<void>;
  close(): Promise<void>;
}

/** Splits messages so that every encoded payload fits in one NOTIFY. */
export function encodeMessages(messages: ChangeMessage[]): string[] {
  const payloads: string[] = [];
  for (const m of messages) {
    const items = [...m.changed.map((id) => ['c', id] as const), ...m.deleted.map((id) => ['d', id] as const)];
    let part: { o: string; w: string; c: string[]; d: string[] } = { o: m.origin, w: m.workspaceId, c: [], d: [] };
    let size = m.origin.length + m.workspaceId.length + 40;
    for (const [kind, id] of items) {
      if (size + id.length + 3 > MAX_PAYLOAD) {
        payloads.push(JSON.stringify(part));
        part = { o: m.origin, w: m.workspaceId, c: [], d: [] };
        size = m.origin.length + m.workspaceId.length + 40;
      }
      part[kind].push(id);
      size += id.length + 3;
    }
    if (part.c.length || part.d.length) payloads.push(JSON.stringify(part));
  }
  return payloads;
}

export function decodeMessage(payload: string): ChangeMessage | null {
  try {
    const p = JSON.parse(payload) as { o?: unknown; w?: unknown; c?: unknown; d?: unknown };
    const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    if (typeof p.o !== 'string' || typeof p.w !== 'string') return null;
    return { origin: p.o, workspaceId: p.w, changed: ids(p.c), deleted: ids(p.d) };
  } catch {
    return null;
  }
}

export class PgChangeBus implements ChangeBus {
  private client: pg.Client | null = null;
  private closed = false;
  private loop: Promise<void> | null = null;
  private wakeSleep: (() => void) | null = null;

  constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
  ) {}

  async publish(messages: ChangeMessage[]): Promise<void> {
    const payloads = encodeMessages(messages);
    if (payloads.length === 0) return;
    await sql`select pg_notify(${CHANNEL}, p) from unnest(cast(${payloads} as text[])) as p`.execute(this.db);
  }

  listen(handlers: ChangeHandlers): Promise<void> {
    return new Promise((firstAttempt) => {
      this.loop = this.run(handlers, firstAttempt);
    });
  }

  /** Connects, LISTENs, waits for the connection to end, and starts over after a growing pause (0.25 s to 5 s). */
  private async run(handlers: ChangeHandlers, firstAttempt: () => void): Promise<void> {
    let delay = 250;
    let connectedBefore = false;
    while (!this.closed) {
      const client: pg.Client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, keepAlive: true });
      const ended = new Promise<void>((resolve) => {
        client.on('error', (error) => {
          if (!this.closed) handlers.onError(error);
          resolve();
        });
        client.on('end', () => resolve());
      });
      client.on('notification', (n) => {
        const message = n.channel === CHANNEL && n.payload ? decodeMessage(n.payload) : null;
        if (message) handlers.onMessage(message);
      });
      // Known before it connects, so that close() can end a connection still being opened.
      this.client = client;
      try {
        await client.connect();
        await client.query(`listen ${CHANNEL}`);
        if (this.closed) break;
        delay = 250;
        if (connectedBefore) handlers.onReconnect();
        connectedBefore = true;
        firstAttempt();
        await ended;
      } catch (error) {
        if (!this.closed) handlers.onError(error);
        firstAttempt();
      }
      this.client = null;
      await client.end().catch(() => {});
      if (this.closed) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, 5_000);
    }
    firstAttempt();
    await this.client?.end().catch(() => {});
    this.client = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeSleep?.();
    await this.client?.end().catch(() => {});
    await this.loop;
  }
}
