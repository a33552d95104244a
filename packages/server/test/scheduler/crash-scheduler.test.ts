// SIGKILL while the scheduler works through many checks falling due: after the restart every check that fell
// due is down with exactly one incident and one queued notification — none lost, none doubled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startProcess, until, type ServerProcess } from '../support/process.js';
import { auditStore, openStoreFile, sqliteReader } from '../support/audit.js';
import { cloneCheck } from '../support/clone.js';
import { startSlowReceiver, type SlowReceiver } from '../support/receiver.js';
import { report } from '../support/report.js';

const ROUNDS = 3;
const PER_ROUND = 1000;
/** Deadlines are spread over this window, starting this long after the store is prepared (the server starts meanwhile). */
const WINDOW_MS = 2000;
const LEAD_MS = 2500;
const ENV = { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true' };

describe('SIGKILL while the scheduler processes due checks', () => {
  let dataDir: string;
  let receiver: SlowReceiver;
  let proc: ServerProcess | null = null;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-crash-scheduler-'));
    receiver = await startSlowReceiver(() => 0);
  });
  afterAll(async () => {
    await proc?.kill();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`loses no incident and doubles none, over ${ROUNDS} kills`, async () => {
    proc = await startProcess(dataDir, ENV);
    const channel = await api(proc.url, 'POST', '/api/v1/channels', { kind: 'webhook', name: 'on-call', config: { url: receiver.url } });
    expect(channel.status).toBe(201);
    const template = await api(proc.url, 'POST', '/api/v1/checks', {
      name: 'template',
      schedule: { kind: 'interval', period_s: 3600 },
      grace_s: 0,
    });
    expect(template.status).toBe(201);
    await proc.kill('SIGTERM');
    proc = null;

    const progressAtKill: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const prefix = `sched r${round}`;
      let db = openStoreFile(dataDir);
      const base = Date.now() + LEAD_MS;
      const ids = cloneCheck(db, template.body.id, PER_ROUND, prefix, (i) => {
        const due = base + Math.floor((i * WINDOW_MS) / PER_ROUND);
        return {
          status: 'up',
          last_beat_at: due - 3_600_000,
          last_success_at: due - 3_600_000,
          expected_at: due,
          next_deadline: due,
          updated_at: base - LEAD_MS,
        };
      });
      db.close();

      proc = await startProcess(dataDir, ENV);
      // Kill at a random point of the work: once a random number of the round's checks have been processed.
      const killAt = 1 + Math.floor(Math.random() * (PER_ROUND - 1));
      const watch = openStoreFile(dataDir);
      try {
        const done = watch.prepare("select count(*) as n from checks where name like ? and status = 'down'");
        await until(
          `${killAt} checks of round ${round} to go down`,
          () => (Number((done.get(`${prefix} %`) as { n: number }).n) >= killAt ? true : undefined),
          30_000,
          2,
        );
      } finally {
        watch.close();
      }
      await proc.kill('SIGKILL');
      proc = null;

      db = openStoreFile(dataDir);
      const countDown = () =>
        Number(
          (db.prepare("select count(*) as n from checks where name like ? and status = 'down'").get(`${prefix} %`) as { n: number }).n,
        );
      try {
        expect(await auditStore(sqliteReader(db)), `round ${round}: store inconsistent right after SIGKILL`).toEqual([]);
        progressAtKill.push(countDown());
      } finally {
        db.close();
      }

      proc = await startProcess(dataDir, ENV);
      db = openStoreFile(dataDir);
      try {
        await until(`all ${PER_ROUND} checks of round ${round} to go down`, () => (countDown() === PER_ROUND ? true : undefined), 30_000);
      } finally {
        db.close();
      }
      // SIGKILL again: everything asserted below was committed before the wait above ended.
      await proc.kill('SIGKILL');
      proc = null;

      db = openStoreFile(dataDir);
      try {
        expect(await auditStore(sqliteReader(db)), `round ${round}: store inconsistent after the restart caught up`).toEqual([]);
        const perCheck = db
          .prepare(
            `select c.id,
            (select count(*) from incidents i where i.check_id = c.id) as incidents,
            (select count(*) from flips f where f.check_id = c.id and f.to_status = 'down') as downs,
            (select count(*) from outbox o where o.check_id = c.id and o.event = 'down') as notifications
          from checks c where c.name like ?`,
          )
          .all(`${prefix} %`) as { id: string; incidents: number; downs: number; notifications: number }[];
        expect(perCheck.map((r) => r.id).sort()).toEqual([...ids].sort());
        const wrong = perCheck.filter((r) => r.incidents !== 1 || r.downs !== 1 || r.notifications !== 1);
        expect(wrong.slice(0, 5), `round ${round}: checks without exactly one incident, down flip and notification`).toEqual([]);
      } finally {
        db.close();
      }
    }
    report('crash-scheduler', {
      rounds: ROUNDS,
      checks_falling_due_per_round: PER_ROUND,
      down_at_kill: progressAtKill.join(','),
      incidents: ROUNDS * PER_ROUND,
    });
    // The kills landed mid-work: some checks were processed before the kill and some after it.
    expect(
      progressAtKill.some((n) => n > 0 && n < PER_ROUND),
      `no kill landed mid-work: ${progressAtKill}`,
    ).toBe(true);
  }, 120_000);
});
