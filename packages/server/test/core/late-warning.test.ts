// The early "late" warning (healthchecks #377): when a check goes late, before the down alert; once per late episode.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MIN, SEC, t, timing, World } from './harness.js';

const T0 = t('2026-03-02T00:00:00Z');

describe('early late warning', () => {
  it('a 5-minute check with 1 minute grace is warned at its expected time, naming when it goes down', () => {
    const world = new World(timing(), T0);
    world.send('success');
    world.advanceTo(T0 + 5 * MIN - 1);
    expect(world.lateWarnings).toEqual([]);
    world.advanceTo(T0 + 5 * MIN);
    expect(world.status).toBe('late');
    expect(world.lateWarnings).toEqual([{ expected_at: T0 + 5 * MIN, down_at: T0 + 6 * MIN }]);
    // Going late is still no flip: the only flip is the down at expected + grace.
    expect(world.flips.map((f) => f.to)).toEqual(['up']);
    world.advanceTo(T0 + 6 * MIN);
    expect(world.flips.map((f) => f.to)).toEqual(['up', 'down']);
    expect(world.lateWarnings).toHaveLength(1);
  });

  it('one warning per late episode: a check that stays late through a miss below its threshold is not warned again', () => {
    const world = new World(timing({ failure_threshold: 3 }), T0);
    world.send('success');
    world.advanceTo(T0 + 5 * MIN);
    world.advanceTo(T0 + 11 * MIN);
    expect(world.status).toBe('late');
    // Two beats missed (at 6 and 11 minutes), one short of going down: still the same late episode.
    expect(world.state.consecutive_failures).toBe(2);
    expect(world.lateWarnings).toHaveLength(1);
  });

  it('a check that reports within grace and is late again next period gets a warning for each episode', () => {
    const world = new World(timing(), T0);
    world.send('success');
    world.send('success', {}, T0 + 5 * MIN + 30 * SEC);
    world.advanceTo(T0 + 10 * MIN + 30 * SEC);
    expect(world.lateWarnings.map((w) => w.expected_at)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN + 30 * SEC]);
  });

  it('property: warnings happen exactly at the steps from up or new into late, never for a check already down', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('success', 'fail', 'wait'), fc.integer({ min: 1, max: 12 * MIN })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        (steps, threshold) => {
          const world = new World(timing({ failure_threshold: threshold, alert_before_first_ping: true }), T0);
          for (const [what, gap] of steps) {
            world.advanceBy(gap);
            if (what !== 'wait') world.send(what as 'success' | 'fail');
          }
          const intoLate = world.changes.filter((c) => c.to === 'late' && (c.from === 'up' || c.from === 'new'));
          expect(world.lateWarnings.length).toBe(intoLate.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
