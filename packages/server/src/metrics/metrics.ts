// Prometheus metrics of one Overdue process. Hot paths only bump counters and histograms; anything that needs
// the store (outbox depth, checks by status) is read when Prometheus scrapes, never per ping.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FastHistogram } from './fast-histogram.js';
import type { Store } from '../store/database.js';
import type { IngestOutcome } from '../ingest/apply-batch.js';
import type { PrunedTable } from '../retention/pruner.js';

export interface CommittedSignal {
  signal: { dialect: string; kind: string };
  queuedAt: number;
}

/** Bounds (seconds) of the latency histograms a ping passes through: sub-millisecond up to seconds. */
const REQUEST_LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  readonly registry = new Registry();
  private readonly signals: Counter<'dialect' | 'kind'>;
  private readonly refused: Counter<'reason'>;
  private readonly ingestLatency: FastHistogram;
  private readonly pingDuration: FastHistogram;
  private readonly batchSize: FastHistogram;
  private readonly failedBatches: Counter;
  private readonly schedulerLag: FastHistogram;
  private readonly deliveries: Counter<'result'>;
  private readonly pruned: Counter<'table'>;
  private readonly clientLimited: Counter<'route_kind'>;

  constructor(store: Store) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.signals = new Counter({
      name: 'overdue_signals_total',
      help: 'Signals stored, by dialect (wire format) and kind (start, log, progress, success, fail).',
      labelNames: ['dialect', 'kind'],
      registers,
    });
    this.refused = new Counter({
      name: 'overdue_signals_refused_total',
      help: 'Signals answered without being stored, by reason (not_found, method_not_allowed, rejected, unavailable).',
      labelNames: ['reason'],
      registers,
    });
    this.ingestLatency = new FastHistogram(
      'overdue_ingest_latency_seconds',
      'Time from a signal reaching ingest to its transaction committing.',
      REQUEST_LATENCY_BUCKETS_S,
      this.registry,
    );
    this.pingDuration = new FastHistogram(
      'overdue_ping_request_duration_seconds',
      'Time from a native /ping request reaching the server to its answer being sent (queueing, commit and response).',
      REQUEST_LATENCY_BUCKETS_S,
      this.registry,
    );
    this.batchSize = new FastHistogram(
      'overdue_ingest_batch_size',
      'Signals committed together in one group-commit transaction.',
      [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
      this.registry,
    );
    this.failedBatches = new Counter({
      name: 'overdue_ingest_failed_batches_total',
      help: 'Group commits that failed (their signals were answered 503).',
      registers,
    });
    this.schedulerLag = new FastHistogram(
      'overdue_scheduler_lag_seconds',
      "How long after a check's deadline the scheduler processed it.",
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      this.registry,
    );
    this.deliveries = new Counter({
      name: 'overdue_delivery_attempts_total',
      help: 'Notification delivery attempts, by result (sent; retry: failed, will be retried; failed: given up).',
      labelNames: ['result'],
      registers,
    });
    this.clientLimited = new Counter({
      name: 'overdue_client_rate_limited_total',
      help: "Requests refused 429 by the per-client-address limit, by route kind (ping, api, other). Pings here were within their check's own budget: behind a reverse proxy, set OVERDUE_TRUSTED_PROXIES.",
      labelNames: ['route_kind'],
      registers,
    });
    this.pruned = new Counter({
      name: 'overdue_retention_deleted_rows_total',
      help: 'Rows deleted by retention, by table.',
      labelNames: ['table'],
      registers,
    });

    const db = store.db;
    new Gauge({
      name: 'overdue_outbox_depth',
      help: 'Notifications waiting to be sent (pending outbox rows, including those in retry backoff).',
      registers,
      async collect() {
        const row = await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'pending')
          .executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: 'overdue_checks',
      help: 'Checks by status (new, up, late, down, paused).',
      labelNames: ['status'],
      registers,
      async collect() {
        const rows = await db
          .selectFrom('checks')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute();
        this.reset();
        for (const status of ['new', 'up', 'late', 'down', 'paused']) this.set({ status }, 0);
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
  }

  /** A request the per-client-address limit refused. */
  clientRateLimited(kind: string): void {
    this.clientLimited.inc({ route_kind: kind });
  }

  /** After a group commit: one counter bump per (dialect, kind) in the batch, one latency per signal. */
  ingestCommitted(batch: readonly CommittedSignal[], outcomes: readonly IngestOutcome[], committedAt: number): void {
    this.batchSize.observe(batch.length);
    // Counted per batch in plain maps (no per-signal allocation), then added to prom-client once per label set.
    const stored = new Map<string, Map<string, number>>();
    let refused: Map<string, number> | null = null;
    for (let i = 0; i < batch.length; i += 1) {
      const { signal, queuedAt } = batch[i];
      this.ingestLatency.observe((committedAt - queuedAt) / 1000);
      const outcome = outcomes[i];
      if (outcome?.kind === 'ok') {
        let kinds = stored.get(signal.dialect);
        if (!kinds) stored.set(signal.dialect, (kinds = new Map()));
        kinds.set(signal.kind, (kinds.get(signal.kind) ?? 0) + 1);
      } else {
        const reason = outcome?.kind ?? 'unknown';
        refused ??= new Map();
        refused.set(reason, (refused.get(reason) ?? 0) + 1);
      }
    }
    for (const [dialect, kinds] of stored) for (const [kind, n] of kinds) this.signals.inc({ dialect, kind }, n);
    if (refused) for (const [reason, n] of refused) this.refused.inc({ reason }, n);
  }

  /** A native ping was answered `ms` after it arrived. */
  pingAnswered(ms: number): void {
    this.pingDuration.observe(ms / 1000);
  }

  ingestFailed(signals: number): void {
    this.failedBatches.inc();
    this.refused.inc({ reason: 'unavailable' }, signals);
  }

  schedulerLags(lagsMs: readonly number[]): void {
    for (const lag of lagsMs) this.schedulerLag.observe(Math.max(0, lag) / 1000);
  }

  deliveryAttempt(settledAs: 'sent' | 'retry' | 'failed'): void {
    this.deliveries.inc({ result: settledAs });
  }

  retentionDeleted(table: PrunedTable, rows: number): void {
    this.pruned.inc({ table }, rows);
  }

  /** The exposition text for GET /metrics. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
