// `overdue backup <file>` while pings flow: the copy is one consistent moment of the store, and restoring it
// (stop, replace the file, start — docs/operations/backup.md) serves exactly that data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck } from '../support/checks.js';
import { requireBuiltCli, runCli } from '../support/cli.js';
import { migrations } from '../../src/store/migrations/index.js';

type SignalRow = {
  id: number;
  check_id: string;
  prev_id: number | null;
  at: number;
  kind: string;
  message: string | null;
  dialect: string;
};
const readSignals = (file: string): SignalRow[] => {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return db.prepare('select id, check_id, prev_id, at, kind, message, dialect from signals order by id').all() as SignalRow[];
  } finally {
    db.close();
  }
};

describe('overdue backup under load, then restore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-backup-'));
  const dataDir = path.join(dir, 'data');
  const backupFile = path.join(dir, 'backups', 'overdue-backup.db');
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies a consistent snapshot while pings are acknowledged, and a restore serves exactly that snapshot', async () => {
    requireBuiltCli();
    t = await startTestServer({ dataDir, env: { OVERDUE_PING_RATE_LIMIT: '100000' } });
    const checks = await Promise.all([1, 2, 3, 4, 5].map((i) => createCheck(t!, { name: `job ${i}` })));
    const acked = new Map<string, number>(checks.map((c) => [c.id, 0]));
    let loading = true;
    const load = Promise.all(
      checks.map(async (check) => {
        for (let i = 0; loading; i += 1) {
          const res = await t!.ping(`/ping/${check.id}?msg=${i}`);
          expect(res.status).toBe(200);
          acked.set(check.id, i + 1);
        }
      }),
    );
    while ([...acked.values()].reduce((a, b) => a + b, 0) < 300) await new Promise((r) => setTimeout(r, 10));

    const before = new Map(acked);
    const { code, stdout, stderr } = await runCli(['backup', backupFile], { OVERDUE_DATA_DIR: dataDir });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const after = new Map(acked);
    loading = false;
    await load;
    // The schema is the newest migration, whichever that is.
    const latest = Object.keys(migrations).sort().pop()!;
    expect(stdout).toMatch(
      new RegExp(
        `^backup written: .*overdue-backup\\.db \\([\\d.]+ MB in \\d+ ms\\)\\n {2}schema ${latest}; 1 workspace\\(s\\), 5 checks, \\d+ signals.*integrity ok\\n$`,
      ),
    );
    await t.close();
    t = undefined;

    // The copy is one moment: each check holds a gap-free prefix of its acknowledged pings, everything acknowledged
    // before the backup began, and counters and chain heads that agree with its rows.
    const copy = new SqliteDatabase(backupFile, { readonly: true });
    const copied = readSignals(backupFile);
    const checkRows = copy.prepare('select id, signal_count, last_signal_id from checks').all() as Array<{
      id: string;
      signal_count: number;
      last_signal_id: number;
    }>;
    copy.close();
    let duringBackup = 0;
    for (const check of checks) {
      const rows = copied.filter((s) => s.check_id === check.id);
      const row = checkRows.find((r) => r.id === check.id)!;
      expect(rows.map((s) => Number(s.message))).toEqual(rows.map((_, i) => i));
      expect(rows.length).toBeGreaterThanOrEqual(before.get(check.id)!);
      expect(rows.length).toBeLessThanOrEqual(after.get(check.id)!);
      expect(row.signal_count).toBe(rows.length);
      expect(row.last_signal_id).toBe(rows[rows.length - 1].id);
      duringBackup += after.get(check.id)! - before.get(check.id)!;
    }
    expect(duringBackup).toBeGreaterThan(0); // pings really were flowing while it ran

    // Every row in the copy is the live store's row, unchanged.
    const live = new Map(readSignals(path.join(dataDir, 'overdue.db')).map((s) => [s.id, s]));
    for (const row of copied) expect(live.get(row.id)).toEqual(row);
    expect(live.size).toBeGreaterThan(copied.length);

    // Restore as documented: the server is stopped; replace the file, drop any -wal/-shm beside it, start.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dataDir, `overdue.db${suffix}`), { force: true });
    fs.copyFileSync(backupFile, path.join(dataDir, 'overdue.db'));
    t = await startTestServer({ dataDir });
    for (const check of checks) {
      const rows = copied.filter((s) => s.check_id === check.id);
      const read = await t.api('GET', `/api/v1/checks/${check.id}`);
      expect(read.body.signal_count).toBe(rows.length);
      const listed = await t.api('GET', `/api/v1/checks/${check.id}/signals?limit=1000`);
      expect(listed.body.items.map((s: any) => s.id)).toEqual(rows.map((s) => s.id).reverse());
    }
    // And it goes on from there.
    expect((await t.ping(`/ping/${checks[0].id}?msg=after-restore`)).status).toBe(200);
    expect((await t.api('GET', `/api/v1/checks/${checks[0].id}`)).body.signal_count).toBe(
      copied.filter((s) => s.check_id === checks[0].id).length + 1,
    );
  });

  it('refuses to overwrite an existing file, with a sentence and exit code 1', async () => {
    fs.mkdirSync(path.dirname(backupFile), { recursive: true });
    fs.writeFileSync(path.join(dir, 'taken.db'), 'precious');
    const failed = await runCli(['backup', path.join(dir, 'taken.db')], { OVERDUE_DATA_DIR: dataDir });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/already exists: choose a new file name/);
    expect(fs.readFileSync(path.join(dir, 'taken.db'), 'utf8')).toBe('precious');
  });

  it('says how to back up PostgreSQL instead of trying', async () => {
    const failed = await runCli(['backup', path.join(dir, 'pg.db')], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/pg_dump/);
  });

  it('says where it looked when there is no store yet', async () => {
    const failed = await runCli(['backup', path.join(dir, 'none.db')], { OVERDUE_DATA_DIR: path.join(dir, 'empty') });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/There is no database at .*empty.*overdue\.db: check OVERDUE_DATA_DIR/);
  });
});
