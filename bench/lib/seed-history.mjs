// A store that has been in use: past outages on random checks, each a resolved incident with its down and up flips,
// spread over the 90 days before `now`. Indexes keyed by check (flips_check, incidents_check_opened) then hold far
// more entries than the due checks, so a new flip or incident lands on a page of its own, as it would in production.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../packages/server/dist');

/** Adds `perCheck` × (number of checks) resolved incidents, and two flips each, to the SQLite store in `dataDir`. */
export async function seedHistory({ dataDir, perCheck, now = Date.now() }) {
  const { newTimeOrderedId } = await import(path.join(dist, 'store/ids.js'));
  const db = new Database(path.join(dataDir, 'overdue.db'));
  db.pragma('synchronous = off');
  const checks = db.prepare('select id, workspace_id from checks').raw(true).all();
  const outages = Math.round(checks.length * perCheck);
  const incident = db.prepare(
    `insert into incidents (id, workspace_id, check_id, opened_at, resolved_at, reason, resolve_reason, severity)
     values (?, ?, ?, ?, ?, 'no heartbeat in time', 'heartbeat received', 'minor')`,
  );
  const flip = db.prepare(
    `insert into flips (check_id, workspace_id, at, from_status, to_status, reason) values (?, ?, ?, ?, ?, 'outage')`,
  );
  const from = now - 90 * 86_400_000;
  const step = (90 * 86_400_000) / Math.max(1, outages);
  db.transaction(() => {
    for (let i = 0; i < outages; i++) {
      const [checkId, workspaceId] = checks[Math.floor(Math.random() * checks.length)];
      const at = Math.floor(from + i * step);
      incident.run(newTimeOrderedId(at), workspaceId, checkId, at, at + 60_000);
      flip.run(checkId, workspaceId, at, 'up', 'down');
      flip.run(checkId, workspaceId, at + 60_000, 'down', 'up');
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return outages;
}
