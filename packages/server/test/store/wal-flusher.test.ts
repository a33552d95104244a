// The worker thread that syncs the WAL for durable ingest (store/wal-flusher.ts): every caller hears back once a sync
// that started after its call returned, a failed sync is an error for exactly the callers it was meant for, and
// closing the store stops the worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalFlusher } from '../../src/store/wal-flusher.js';

describe('WalFlusher', () => {
  let dir: string;
  let file: string;
  let flusher: WalFlusher;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-wal-flusher-'));
    file = path.join(dir, 'overdue.db-wal');
    fs.writeFileSync(file, 'frames');
    flusher = new WalFlusher(file);
  });
  afterEach(async () => {
    await flusher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every caller, one by one and many at once', async () => {
    await expect(flusher.synced()).resolves.toBeUndefined();
    await expect(Promise.all(Array.from({ length: 200 }, () => flusher.synced()))).resolves.toHaveLength(200);
    await expect(flusher.synced()).resolves.toBeUndefined();
  });

  it('goes on answering when the generation counter wraps past 2^31', async () => {
    (flusher as unknown as { requested: number }).requested = 2 ** 31 - 3;
    for (let i = 0; i < 6; i += 1) await expect(flusher.synced()).resolves.toBeUndefined();
    await expect(Promise.all(Array.from({ length: 10 }, () => flusher.synced()))).resolves.toHaveLength(10);
  });

  it('a sync that fails (the file is gone) rejects its callers with the error code; later syncs succeed again', async () => {
    fs.rmSync(file);
    await expect(flusher.synced()).rejects.toMatchObject({ code: 'ENOENT' });
    fs.writeFileSync(file, 'frames');
    await expect(flusher.synced()).resolves.toBeUndefined();
  });

  it('closing rejects callers still waiting instead of leaving them hanging, and a closed flusher can start again', async () => {
    const pending = Array.from({ length: 20 }, () =>
      flusher.synced().then(
        () => 'synced',
        () => 'refused',
      ),
    );
    await flusher.close();
    // Each caller heard one way or the other; none is left waiting.
    for (const outcome of await Promise.all(pending)) expect(['synced', 'refused']).toContain(outcome);
    await expect(flusher.synced()).resolves.toBeUndefined();
  });
});
