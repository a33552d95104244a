// The WAL syncs of durable ingest, made by one worker thread that stays awake while commits keep coming. Handing
// each sync to libuv's pool instead wakes a pool thread per batch, and on a busy machine that wake-up (a futex call
// under the pool's lock) held the event loop for 50–200 µs per batch. Here the event loop only bumps a shared
// counter; it wakes the worker only when the worker sleeps, and hears back by message when a sync ends.
import { Worker } from 'node:worker_threads';

/** Slots of the shared Int32Array: the latest generation asked for, and whether the worker sleeps (1). */
const REQUESTED = 0;
const SLEEPING = 1;

// The worker's code, evaluated as CommonJS (so it needs no file of its own next to the compiled or the TS source).
// A sync made after generation g was read covers every commit that asked for g or less: it answers `upTo: g`.
const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const shared = new Int32Array(workerData.shared);
let done = 0;
for (;;) {
  let target = Atomics.load(shared, ${REQUESTED});
  if (target === done) {
    Atomics.store(shared, ${SLEEPING}, 1);
    Atomics.wait(shared, ${REQUESTED}, done);
    Atomics.store(shared, ${SLEEPING}, 0);
    continue;
  }
  try {
    // Opened by name each time: a handle kept open could outlive the file it names.
    const fd = fs.openSync(workerData.file, 'r');
    try {
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    parentPort.postMessage({ upTo: target });
  } catch (error) {
    parentPort.postMessage({ upTo: target, error: { message: String(error && error.message), code: error && error.code } });
  }
  done = target;
}
`;

interface Waiter {
  generation: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class WalFlusher {
  private worker: Worker | null = null;
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private requested = 0;
  /** Callers in generation order: each sync answers a prefix of them. */
  private waiters: Waiter[] = [];

  constructor(private readonly file: string) {}

  /** Resolves once a sync of the file that started after this call has returned (rejects if it failed). */
  synced(): Promise<void> {
    const worker = this.worker ?? this.start();
    // Generations are Int32 (what the shared array holds): they wrap after 2^31 batches and are compared modulo 2^32.
    this.requested = (this.requested + 1) | 0;
    const generation = this.requested;
    const promise = new Promise<void>((resolve, reject) => this.waiters.push({ generation, resolve, reject }));
    Atomics.store(this.shared, REQUESTED, generation);
    // Sequentially consistent: either the worker sees the new generation before it waits, or it sleeps and we wake it.
    if (Atomics.load(this.shared, SLEEPING) === 1) Atomics.notify(this.shared, REQUESTED);
    // Only waiting callers keep the process alive, as a pending fs call would.
    worker.ref();
    return promise;
  }

  /** Stops the worker; callers still waiting hear that their sync was not confirmed. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.settle('all', new Error('the store was closed before the WAL sync was confirmed'));
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.shared.buffer, file: this.file } });
    // A worker stopped by close() may still report; whoever waited on it was answered then.
    worker.on('message', (message: { upTo: number; error?: { message: string; code?: string } }) => {
      if (this.worker !== worker) return;
      const error = message.error && Object.assign(new Error(message.error.message), { code: message.error.code });
      this.settle(message.upTo, error);
    });
    worker.on('error', (error) => {
      // The worker died (it should not): fail whoever waits, and start a fresh one on the next call.
      if (this.worker !== worker) return;
      this.worker = null;
      this.settle('all', error);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Answers the waiters up to generation `upTo` (every waiter: 'all'). */
  private settle(upTo: number | 'all', error: Error | undefined): void {
    const covered = (generation: number) => upTo === 'all' || ((generation - upTo) | 0) <= 0;
    let answered = 0;
    while (answered < this.waiters.length && covered(this.waiters[answered].generation)) answered += 1;
    const settled = this.waiters.slice(0, answered);
    this.waiters = this.waiters.slice(answered);
    if (this.waiters.length === 0) this.worker?.unref();
    for (const waiter of settled) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}
