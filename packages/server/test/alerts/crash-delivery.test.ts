// SIGKILL while notifications are being delivered to a (slow) webhook: after the restart every incident's
// notification reaches the receiver — perhaps twice with the same idempotency key (at-least-once), never lost —
// and no outage is ever recorded as two incidents.
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
const PER_ROUND = 90;
const ENV = { OVERDUE_ALLOW_PRIVATE_TARGETS: 'true', OVERDUE_PING_RATE_LIMIT: '1000000', OVERDUE_CLIENT_RATE_LIMIT: '0' };

describe('SIGKILL during notification delivery', () => {
  let dataDir: string;
  let receiver: SlowReceiver;
  let proc: ServerProcess | null = null;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overdue-crash-delivery-'));
    // Slow answers keep many deliveries in flight at any moment.
    receiver = await startSlowReceiver(() => 20 + Math.random() * 80);
  });
  afterAll(async () => {
    await proc?.kill();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`delivers every incident's notification at least once, over ${ROUNDS} kills`, async () => {
    proc = await startProcess(dataDir, ENV);
    expect(
      (await api(proc.url, 'POST', '/api/v1/channels', { kind: 'webhook', name: 'on-call', config: { url: receiver.url } })).status,
    ).toBe(201);
    const template = await api(proc.url, 'POST', '/api/v1/checks', {
      name: 'template',
      schedule: { kind: 'interval', period_s: 3600 },
      grace_s: 600,
    });
    expect(template.status).toBe(201);
    await proc.kill('SIGTERM');
    proc = null;
    let db = openStoreFile(dataDir);
    const rounds = Array.from({ length: ROUNDS }, (_, r) => {
      const ids = cloneCheck(db, template.body.id, PER_ROUND, `deliver r${r}`);
      return (db.prepare(`select key from checks where id in (${ids.map(() => '?').join(',')})`).all(...ids) as { key: string }[]).map(
        (k) => k.key,
      );
    });
    db.close();

    const sentAtKill: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      proc = await startProcess(dataDir, ENV);
      const base = proc.url;
      const received = receiver.keys.length;
      // Every check of the round fails: one incident and one webhook notification each, delivered at once.
      await Promise.all(
        Array.from({ length: 8 }, async (_, lane) => {
          for (let i = lane; i < PER_ROUND; i += 8) {
            const res = await fetch(`${base}/ping/${rounds[round][i]}/fail`);
            expect(res.status).toBe(200);
          }
        }),
      );
      // Kill at a random point of the deliveries: once a random number of them has reached the receiver.
      const killAt = received + 1 + Math.floor(Math.random() * (PER_ROUND / 2));
      await until('deliveries to start', () => (receiver.keys.length >= killAt ? true : undefined), 10_000, 2);
      await proc.kill('SIGKILL');
      proc = null;

      db = openStoreFile(dataDir);
      const sent = () =>
        Number(
          (
            db
              .prepare("select count(*) as n from outbox o join checks c on c.id = o.check_id where c.name like ? and o.status = 'sent'")
              .get(`deliver r${round} %`) as { n: number }
          ).n,
        );
      try {
        expect(await auditStore(sqliteReader(db)), `round ${round}: store inconsistent right after SIGKILL`).toEqual([]);
        sentAtKill.push(sent());
      } finally {
        db.close();
      }

      proc = await startProcess(dataDir, ENV);
      db = openStoreFile(dataDir);
      try {
        await until(`all notifications of round ${round} to be sent`, () => (sent() === PER_ROUND ? true : undefined), 30_000);
      } finally {
        db.close();
      }
      await proc.kill('SIGTERM');
      proc = null;
    }

    db = openStoreFile(dataDir);
    try {
      expect(await auditStore(sqliteReader(db))).toEqual([]);
      const outbox = db
        .prepare(
          "select o.idempotency_key as key, o.status, o.incident_id from outbox o join checks c on c.id = o.check_id where c.name like 'deliver r%'",
        )
        .all() as { key: string; status: string; incident_id: string }[];
      expect(outbox).toHaveLength(ROUNDS * PER_ROUND);
      expect(outbox.filter((o) => o.status !== 'sent')).toEqual([]);
      const arrivals = new Map<string, number>();
      for (const key of receiver.keys) arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
      const lost = outbox.filter((o) => !arrivals.has(o.key));
      expect(lost, 'notifications never received').toEqual([]);
      const unknown = [...arrivals.keys()].filter((k) => !outbox.some((o) => o.key === k));
      expect(unknown, 'received notifications the store does not know').toEqual([]);
      const incidents = db
        .prepare(
          "select c.id, count(i.id) as n from checks c left join incidents i on i.check_id = c.id where c.name like 'deliver r%' group by c.id",
        )
        .all() as { id: string; n: number }[];
      expect(
        incidents.filter((r) => r.n !== 1),
        'checks with other than one incident',
      ).toEqual([]);
      const resent = [...arrivals.values()].filter((n) => n > 1).length;
      report('crash-delivery', {
        rounds: ROUNDS,
        notifications: outbox.length,
        received: receiver.keys.length,
        lost: lost.length,
        sent_again_same_key: resent,
        sent_before_kill: sentAtKill.join(','),
      });
      expect(
        sentAtKill.filter((n) => n < PER_ROUND).length,
        `kills landed mid-delivery in too few rounds: ${sentAtKill}`,
      ).toBeGreaterThanOrEqual(2);
    } finally {
      db.close();
    }
  }, 120_000);
});
