// The flips of one scheduler batch share what was read for the batch (open incidents above all). A flip that opens,
// resolves or unfolds an incident keeps that shared copy current, so a later flip of the same batch never acts on a
// stale row: a check never gets a second open incident, and a child its parent unfolded announces its recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipBetween } from '../../src/core/index.js';
import { batchFlipContext } from '../../src/alerts/batch-context.js';
import { recordFlip } from '../../src/alerts/record-flip.js';
import { inTransaction } from '../../src/store/transaction.js';
import { startAlerting, type Alerting } from '../alerts/support/alerting.js';
import { checkRow } from '../support/checks.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

const MIN = 60_000;
const db = () => a.t.server.runtime.store.db;
const incidentsOf = (checkId: string) =>
  db().selectFrom('incidents').selectAll().where('check_id', '=', checkId).orderBy('opened_at').execute();
const eventsOf = async (checkId: string) =>
  (await db().selectFrom('outbox').select('event').where('check_id', '=', checkId).orderBy('id').execute()).map((r) => r.event);

describe('flips sharing one batch context', () => {
  it('a child unfolded by its parent earlier in the batch announces its own recovery later in it', async () => {
    const channel = await a.channel('webhook', { url: `${a.receiver.url}/batch/unfold` }, { is_default: false });
    const parent = await a.check({ name: 'batch parent', channels: [channel.id] });
    const child = await a.check({
      name: 'batch child',
      schedule: { kind: 'interval', period_s: 300 },
      channels: [channel.id],
      depends_on: [parent.slug],
    });
    await a.ping(parent);
    await a.ping(child);
    // The parent goes down at +1 min; the child, down at +5 min while the parent still is, is folded into its incident.
    await a.advance(61_000);
    for (let i = 0; i < 5; i += 1) await a.advance(MIN);
    const [folded] = await incidentsOf(child.id);
    expect(folded).toMatchObject({ resolved_at: null, unfolded_at: null });
    expect(folded.folded_into).not.toBeNull();
    expect(await eventsOf(child.id)).toEqual([]);

    // One batch: both were read as they stood, then the parent recovers (unfolding the child), then the child recovers.
    const now = a.clock.now();
    const [parentRow, childRow] = [await checkRow(a.t, parent.id), await checkRow(a.t, child.id)];
    await inTransaction(db(), async (trx) => {
      const ctx = await batchFlipContext(trx, 'http://localhost', [parent.id, child.id]);
      await recordFlip(trx, { ...parentRow, status: 'up' }, flipBetween('down', 'up', now, 'test: parent back'), ctx);
      await recordFlip(trx, { ...childRow, status: 'up' }, flipBetween('down', 'up', now, 'test: child back'), ctx);
    });
    // The child paged when unfolded, so its recovery is announced too.
    expect(await eventsOf(child.id)).toEqual(['down', 'up']);
    const incidents = await incidentsOf(child.id);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ id: folded.id, unfolded_at: now, resolved_at: now });
  });

  it('a check that goes down twice in one batch (a snooze ending, then its deadline) gets one open incident', async () => {
    const check = await a.check({ name: 'batch twice' });
    await a.ping(check);
    const now = a.clock.now();
    const row = { ...(await checkRow(a.t, check.id)), status: 'down' };
    await inTransaction(db(), async (trx) => {
      const ctx = await batchFlipContext(trx, 'http://localhost', [check.id]);
      await recordFlip(trx, row, flipBetween('up', 'down', now, 'test: first'), ctx);
      await recordFlip(trx, row, flipBetween('late', 'down', now, 'test: second'), ctx);
    });
    const incidents = await incidentsOf(check.id);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ resolved_at: null, reason: 'test: first' });
  });
});
