// Heartbeats for long-running processes: a success signal with optional metadata, once or on a timer.
import type { SignalResult } from './send-signal.js';

export type Metadata = Record<string, unknown>;

export interface HeartbeatOptions {
  /** The check: UUID, 8-character key, "{ping_key}/{slug}" or a full ping URL. */
  check: string;
  /** Small JSON facts kept with the beat (host, region, queue depth…), sent as the body. */
  metadata?: Metadata;
  message?: string;
}

export interface HeartbeatCronOptions {
  check: string;
  /** Time between beats, ms. */
  everyMs: number;
  /** Metadata for every beat, or a function asked before each beat (a throwing function sends none). */
  metadata?: Metadata | (() => Metadata | undefined);
  /** Send the first beat right away (default true) rather than after everyMs. */
  immediate?: boolean;
  /** Keep the process alive for the timer's sake (default false: the beats stop when the process has nothing else to do). */
  keepAlive?: boolean;
  /** Told how each beat went. */
  onBeat?: (result: SignalResult) => void;
}

/** A running heartbeat loop. */
export interface HeartbeatCron {
  /** Stops the loop; resolves once a beat in flight has finished. */
  stop(): Promise<void>;
  /** Beats sent so far. */
  readonly beats: number;
  readonly running: boolean;
}

type Beat = (options: HeartbeatOptions) => Promise<SignalResult>;

function metadataNow(source: HeartbeatCronOptions['metadata']): Metadata | undefined {
  if (typeof source !== 'function') return source;
  try {
    return source();
  } catch {
    return undefined;
  }
}

/**
 * Beats every `everyMs`. The next beat is timed from the end of the previous one, so a slow or unreachable
 * server never piles up requests.
 */
export function heartbeatLoop(beat: Beat, options: HeartbeatCronOptions): HeartbeatCron {
  if (!(typeof options.everyMs === 'number' && Number.isFinite(options.everyMs) && options.everyMs > 0)) {
    throw new TypeError(`startHeartbeatCron: everyMs must be a positive number of milliseconds; got ${String(options.everyMs)}.`);
  }
  let running = true;
  let beats = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const schedule = (delay: number) => {
    if (!running) return;
    timer = setTimeout(tick, delay);
    if (!options.keepAlive) (timer as { unref?: () => void }).unref?.();
  };
  function tick() {
    timer = undefined;
    if (!running) return;
    beats += 1;
    inFlight = beat({ check: options.check, metadata: metadataNow(options.metadata) }).then((result) => {
      try {
        options.onBeat?.(result);
      } catch {
        // the caller's hook must not stop the loop
      }
      schedule(options.everyMs);
    });
  }
  schedule(options.immediate === false ? options.everyMs : 0);

  return {
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    get beats() {
      return beats;
    },
    get running() {
      return running;
    },
  };
}
