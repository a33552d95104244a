// The writes a group-commit batch makes for every signal: the signal row and its check's new state.
// SQLite writes each at once (statements there are cheap calls into the same process). PostgreSQL pays a network
// round trip per statement, so it takes the batch's signal ids from the sequence in one query, and writes all
// signals in one INSERT and every changed check once, in one UPDATE, when the batch is applied.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db.js';
import type { CheckRow } from './schema.js';
import { isSqlite } from './db.js';
import { saveState, STATE_COLUMNS, type StateColumn } from './check-rows.js';
import { insertSignal, SIGNAL_COLUMNS, type NewSignal } from './signals.js';

export interface BatchWrites {
  /** Appends a signal and returns its id: the new head of its check's chain. */
  signal(row: NewSignal): Promise<number>;
  /** Records a check's new state (its signal chain head included). */
  state(row: CheckRow): Promise<void>;
  /** Writes whatever is still held back. Call once, after the last signal of the batch. */
  flush(): Promise<void>;
}

/**
 * Writes for one batch of at most `signals` signals. On PostgreSQL, open it only after the batch's checks are locked:
 * ids taken then are larger than any id another instance gave a signal of those checks, so each chain stays in order.
 */
export function batchWrites(db: Db, signals: number): BatchWrites {
  if (isSqlite(db)) {
    return { signal: (row) => insertSignal(db, row), state: (row) => saveState(db, row), flush: async () => {} };
  }
  return new PostgresBatchWrites(db, signals);
}

type SignalColumn = (typeof SIGNAL_COLUMNS)[number];

// PostgreSQL types of the columns written, so that unnest() can take one typed array per column.
const STATE_TYPES: Record<StateColumn, string> = {
  status: 'text',
  degraded: 'integer',
  last_signal_at: 'bigint',
  last_beat_at: 'bigint',
  last_success_at: 'bigint',
  expected_at: 'bigint',
  run_deadline: 'bigint',
  next_deadline: 'bigint',
  open_runs: 'integer',
  consecutive_failures: 'integer',
  consecutive_successes: 'integer',
  signal_count: 'bigint',
  run_count: 'bigint',
  last_duration_ms: 'bigint',
  last_message: 'text',
  updated_at: 'bigint',
  last_signal_id: 'bigint',
  recent_outcomes: 'text',
  quorum_period: 'text',
};
const SIGNAL_TYPES: Record<SignalColumn, string> = {
  check_id: 'text',
  prev_id: 'bigint',
  run_id: 'text',
  at: 'bigint',
  kind: 'text',
  method: 'text',
  source_ip: 'text',
  user_agent: 'text',
  body: 'text',
  message: 'text',
  progress: 'integer',
  exit_code: 'integer',
  metadata: 'text',
  dialect: 'text',
};

/** `unnest(cast($1 as t1[]), cast($2 as t2[]), …) as alias(c1, c2, …)`: rows from one array per column. */
function unnestRows<C extends string>(
  alias: string,
  columns: readonly C[],
  types: Record<C, string>,
  rows: Record<C, unknown>[],
): RawBuilder<unknown> {
  const arrays = columns.map((c) => sql`cast(${rows.map((r) => r[c] ?? null)} as ${sql.raw(types[c])}[])`);
  return sql`unnest(${sql.join(arrays)}) as ${sql.raw(alias)}(${sql.join(columns.map((c) => sql.ref(c)))})`;
}

class PostgresBatchWrites implements BatchWrites {
  private ids: number[] = [];
  private readonly signals: (NewSignal & { id: number })[] = [];
  private readonly states = new Map<string, CheckRow>();

  constructor(
    private readonly db: Db,
    private readonly expected: number,
  ) {}

  async signal(row: NewSignal): Promise<number> {
    if (this.ids.length === 0) {
      const wanted = Math.max(1, this.expected - this.signals.length);
      const { rows } = await sql<{
        id: number;
      }>`select nextval(pg_get_serial_sequence('signals', 'id')) as id from generate_series(1, ${wanted})`.execute(this.db);
      this.ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    }
    const id = this.ids.shift()!;
    this.signals.push({ ...row, id });
    return id;
  }

  async state(row: CheckRow): Promise<void> {
    // Several signals for one check in a batch: only its last state is written.
    this.states.set(row.id, row);
  }

  async flush(): Promise<void> {
    // One statement for both, to save a round trip: the signals are inserted by a data-modifying CTE.
    const signalColumns = ['id', ...SIGNAL_COLUMNS] as const;
    const signalRows = this.signals as unknown as Record<(typeof signalColumns)[number], unknown>[];
    const insertSignals = sql`insert into signals (${sql.join(signalColumns.map((c) => sql.ref(c)))})
      select * from ${unnestRows('s', signalColumns, { id: 'bigint', ...SIGNAL_TYPES }, signalRows)}`;
    const stateColumns = ['id', ...STATE_COLUMNS] as const;
    const stateRows = [...this.states.values()] as unknown as Record<(typeof stateColumns)[number], unknown>[];
    const updateChecks = sql`update checks set ${sql.join(STATE_COLUMNS.map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}`))}
      from ${unnestRows('u', stateColumns, { id: 'text', ...STATE_TYPES }, stateRows)} where checks.id = u.id`;
    if (signalRows.length > 0 && stateRows.length > 0) await sql`with inserted as (${insertSignals}) ${updateChecks}`.execute(this.db);
    else if (signalRows.length > 0) await insertSignals.execute(this.db);
    else if (stateRows.length > 0) await updateChecks.execute(this.db);
    this.signals.length = 0;
    this.states.clear();
  }
}
