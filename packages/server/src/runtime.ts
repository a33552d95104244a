// The running server's long-lived parts, wired together once: store, ingest, scheduler, delivery, live events.
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { Store } from './store/database.js';
import { Ingest } from './ingest/ingest.js';
import { RateLimiter } from './rate-limiter.js';
import { Scheduler } from './scheduler/scheduler.js';
import { DeliveryWorker } from './alerts/delivery.js';
import { Metrics } from './metrics/metrics.js';
import { Pruner } from './retention/pruner.js';
import { FeedBridge } from './live/feed-bridge.js';
import { ChangeFeed } from './live/change-feed.js';
import type { Logger } from './logger.js';
import { MINUTE_MS, MINUTE_S } from './core/index.js';

export interface Runtime {
  config: Config;
  store: Store;
  clock: Clock;
  ingest: Ingest;
  scheduler: Scheduler;
  delivery: DeliveryWorker;
  pingLimiter: RateLimiter;
  feed: ChangeFeed;
  /** PostgreSQL: carries live updates between the instances sharing the database (null on SQLite). */
  bridge: FeedBridge | null;
  log: Logger;
  metrics: Metrics;
  pruner: Pruner;
}

export function createRuntime(config: Config, store: Store, clock: Clock, log: Logger): Runtime {
  const feed = new ChangeFeed();
  feed.setMaxListeners(0);
  const metrics = new Metrics(store);
  const scheduler: Scheduler = new Scheduler({
    store,
    clock,
    publicUrl: config.publicUrl,
    onCommit: (result) => {
      metrics.schedulerLags(result.lagsMs);
      feed.checksChanged(result.touched);
      if (result.notifications > 0) delivery.wake();
    },
    onError: (error) => log.error({ err: error }, 'scheduler pass failed; retrying at the next deadline'),
    // Signals already received are stored before each transaction of a pass: a ping that came in before its
    // deadline is applied before the deadline is (no false alert), and pings are answered during a long pass.
    beforeBatch: () => ingest.settled(),
  });
  const delivery: DeliveryWorker = new DeliveryWorker({
    store,
    clock,
    outbound: { allowPrivate: config.allowPrivateTargets, timeoutMs: config.deliveryTimeoutMs },
    // A claim outlives the slowest send (connect + answer) several times over, so a live sender is never doubled.
    leaseMs: Math.max(MINUTE_MS, config.deliveryTimeoutMs * 4),
    onError: (error) => log.error({ err: error }, 'delivery pass failed'),
    // Errors were scrubbed of channel secrets before they got here.
    onGiveUp: (rows, channel, error) =>
      log.warn(
        { notifications: rows.map((r) => r.id), channel_id: channel?.id, channel_kind: channel?.kind, error },
        'notification delivery failed permanently; see GET /api/v1/notifications?status=failed',
      ),
    onAttempt: (_rows, _result, _latency, settledAs) => metrics.deliveryAttempt(settledAs),
  });
  const pingLimiter = new RateLimiter(config.pingRateLimit, config.pingRateLimit * 10);
  const ingest = new Ingest({
    store,
    clock,
    publicUrl: config.publicUrl,
    limiter: pingLimiter,
    quotas: {
      maxChecks: config.quotas.checksPerWorkspace,
      creations: new RateLimiter(config.quotas.autoCreatePerMinute / MINUTE_S, config.quotas.autoCreatePerMinute),
    },
    // PostgreSQL: half the pool applies batches side by side; the rest serves the API, the scheduler and delivery.
    concurrency: store.engine === 'postgres' ? Math.max(1, Math.floor(config.pgPoolSize / 2)) : 1,
    onCommit: (result) => {
      if (result.earliestDeadline != null) scheduler.wake(result.earliestDeadline);
      if (result.notifications > 0) delivery.wake();
      // A failure may have set an alert timer (reminders of a new incident, a cooldown hold).
      if (result.notifications > 0 || result.touched.some((row) => row.incident_hold_until != null)) void scheduler.wakeForAlertTimers();
      feed.checksChanged(result.touched);
      // Retention keeps up with the pings: a check past its limit is trimmed now, not at the next pass.
      pruner.noticeSignals(result.touched);
    },
    onError: throttled(5000, (error, suppressed) =>
      log.error({ err: error, suppressed }, 'ingest batch failed; its signals were answered 503'),
    ),
    observe: { committed: (batch, outcomes, at) => metrics.ingestCommitted(batch, outcomes, at), failed: (n) => metrics.ingestFailed(n) },
  });
  const pruner = new Pruner({
    store,
    clock,
    policy: config.retention,
    onPruned: (table, rows) => metrics.retentionDeleted(table, rows),
    onError: (error) => log.error({ err: error }, 'retention pass failed; retrying at the next interval'),
  });
  const bridge = store.changeBus ? new FeedBridge({ bus: store.changeBus, feed, db: store.db, log }) : null;
  return { config, store, clock, ingest, scheduler, delivery, pingLimiter, feed, bridge, log, metrics, pruner };
}

/**
 * Calls `report` at most once per `intervalMs`, with how many calls were left out since the last report: while the
 * database is down every batch fails, and one line every few seconds says as much as thousands.
 */
function throttled(intervalMs: number, report: (error: unknown, suppressed: number) => void): (error: unknown) => void {
  let last = -Infinity;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      suppressed += 1;
      return;
    }
    last = now;
    report(error, suppressed);
    suppressed = 0;
  };
}
