// Quorum of hosts (healthchecks #688): each period, N distinct hosts must report success.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cron, HOUR, iso, MIN, t, timing, World } from './harness.js';

const HOSTS = ['web1', 'web2', 'web3'];

describe('quorum of hosts', () => {
  it('a quorum-3 check where only web1 and web2 report goes down at the end of the period naming web3', () => {
    const world = new World(cron('0 2 * * *', 'UTC', { grace_s: 3600, quorum_hosts: 3 }), t('2026-03-01T12:00:00Z'));
    world.knownHosts = HOSTS;
    // Night 1: all three report just after 02:00; the third completes the beat.
    world.advanceTo(t('2026-03-02T02:00:05Z'));
    world.send('success', { host: 'web1' });
    world.send('success', { host: 'web2' }, t('2026-03-02T02:00:09Z'));
    // Its 02:00 beat is due and not complete: late, until the third host reports (or the grace ends).
    expect(world.status).toBe('late');
    world.send('success', { host: 'web3' }, t('2026-03-02T02:00:12Z'));
    expect(world.status).toBe('up');
    expect(iso(world.state.expected_at)).toBe('2026-03-03T02:00:00.000Z');
    // Night 2: web3 stays silent.
    world.send('success', { host: 'web1' }, t('2026-03-03T02:00:04Z'));
    world.send('success', { host: 'web2' }, t('2026-03-03T02:00:06Z'));
    world.advanceTo(t('2026-03-03T02:59:59Z'));
    expect(world.status).toBe('late');
    world.advanceTo(t('2026-03-03T03:00:00Z'));
    expect(world.status).toBe('down');
    expect(world.lastFlip).toMatchObject({
      at: t('2026-03-03T03:00:00Z'),
      from: 'up',
      to: 'down',
      alert: 'down',
      missed_at: t('2026-03-03T02:00:00Z'),
    });
    expect(world.lastFlip!.reason).toBe('2 of 3 hosts reported in the 02:00 run: web1, web2; web3 did not');
  });

  it('a host reporting twice in one period counts once', () => {
    const world = new World(
      timing({ schedule: { kind: 'interval', period_s: 3600 }, grace_s: 300, quorum_hosts: 2 }),
      t('2026-03-02T00:00:00Z'),
    );
    world.send('success', { host: 'web1' });
    world.send('success', { host: 'web2' }, t('2026-03-02T00:00:30Z'));
    expect(world.status).toBe('up');
    // The next period is one hour after the first one's beat (its grid), whenever the quorum completed.
    expect(iso(world.state.expected_at)).toBe('2026-03-02T01:00:00.000Z');
    world.send('success', { host: 'web1' }, t('2026-03-02T01:00:01Z'));
    world.send('success', { host: 'web1' }, t('2026-03-02T01:00:02Z'));
    world.advanceTo(t('2026-03-02T01:05:00Z'));
    expect(world.status).toBe('down');
    expect(world.lastFlip!.reason).toBe('1 of 2 hosts reported in the 01:00 run: web1; 1 more needed');
  });

  it('a host that reports after the quorum completed, within grace, counts for that beat and not the next', () => {
    const world = new World(cron('0 2 * * *', 'UTC', { grace_s: 3600, quorum_hosts: 2 }), t('2026-03-01T12:00:00Z'));
    world.knownHosts = HOSTS;
    world.send('success', { host: 'web1' }, t('2026-03-02T02:00:01Z'));
    world.send('success', { host: 'web2' }, t('2026-03-02T02:00:02Z'));
    world.send('success', { host: 'web3' }, t('2026-03-02T02:10:00Z'));
    expect(world.state.quorum_period).toEqual({ at: t('2026-03-02T02:00:00Z'), hosts: ['web1', 'web2', 'web3'] });
    // Next night only web1 reports: web3's report of the night before does not make up the quorum.
    world.send('success', { host: 'web1' }, t('2026-03-03T02:00:01Z'));
    world.advanceTo(t('2026-03-03T03:00:00Z'));
    expect(world.status).toBe('down');
    expect(world.lastFlip!.reason).toBe('1 of 2 hosts reported in the 02:00 run: web1; web2, web3 did not');
  });

  it('a host reporting twice for a beat already complete (a retry) does not complete the next period early', () => {
    const world = new World(
      timing({ schedule: { kind: 'interval', period_s: 300 }, grace_s: 60, quorum_hosts: 1 }),
      t('2026-03-02T00:00:00Z'),
    );
    world.send('success', { host: 'a' });
    world.send('success', { host: 'a' }, t('2026-03-02T00:00:02Z'));
    expect(world.state.expected_at).toBe(t('2026-03-02T00:05:00Z'));
  });

  it('a period in which no host reported is a plain missed beat', () => {
    const world = new World(
      timing({ schedule: { kind: 'interval', period_s: 600 }, grace_s: 60, quorum_hosts: 2 }),
      t('2026-03-02T00:00:00Z'),
    );
    world.send('success', { host: 'a' });
    world.send('success', { host: 'b' });
    world.advanceTo(t('2026-03-02T00:11:00Z'));
    expect(world.lastFlip!.reason).toMatch(/^no heartbeat received within/);
  });

  it('property (interval grid): at the end of every period the check has counted a miss exactly when fewer than N hosts reported in it', () => {
    const PERIOD = 10 * MIN;
    const GRACE = 2 * MIN;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        // Per period: which hosts report, each at some moment strictly inside the period's window.
        fc.array(fc.array(fc.tuple(fc.constantFrom(...HOSTS), fc.integer({ min: 1, max: PERIOD - 1 })), { maxLength: 6 }), {
          minLength: 1,
          maxLength: 8,
        }),
        (quorum, periods) => {
          const E0 = t('2026-03-02T00:00:00Z');
          const world = new World(
            timing({
              schedule: { kind: 'interval', period_s: PERIOD / 1000 },
              grace_s: GRACE / 1000,
              quorum_hosts: quorum,
              failure_threshold: 1000,
            }),
            E0 - HOUR,
          );
          // The first period completes at E0 and anchors the grid.
          for (const host of HOSTS.slice(0, quorum)) world.send('success', { host }, E0);
          expect(world.state.expected_at).toBe(E0 + PERIOD);
          periods.forEach((reports, k) => {
            const windowStart = E0 + k * PERIOD + GRACE; // the previous beat's period closed here
            const sorted = [...reports].sort((a, b) => a[1] - b[1]);
            for (const [host, offset] of sorted) world.send('success', { host }, windowStart + offset);
            const before = world.state.consecutive_failures;
            world.advanceTo(windowStart + PERIOD); // E_{k+1} + grace: the period ends
            const distinct = new Set(reports.map(([h]) => h)).size;
            if (distinct >= quorum) expect(world.state.consecutive_failures).toBe(0);
            else expect(world.state.consecutive_failures).toBe(before + 1);
            expect(world.state.expected_at).toBe(E0 + (k + 2) * PERIOD);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
