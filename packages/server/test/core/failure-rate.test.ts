// Failure rate over a window (healthchecks #858): down when enough of the recent runs failed, even if not in a row.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { recentFailures } from '../../src/core/index.js';
import { MIN, t, timing, World } from './harness.js';

const T0 = t('2026-03-02T00:00:00Z');
/** Every 5 minutes, 5 failures in a row to go down (never reached below), 3 of the last 10 by rate. */
const rated = (over = {}) => timing({ failure_threshold: 5, failure_rate_count: 3, failure_rate_window: 10, ...over });

/** Sends one beat a minute, in order: 's' a success, 'f' a failure. */
function beats(world: World, pattern: string) {
  for (const c of pattern) {
    world.advanceBy(MIN);
    world.send(c === 'f' ? 'fail' : 'success');
  }
}

describe('failure rate over a window', () => {
  it('a check with failure_rate 3 of 10 goes down on the third failure among ten runs with successes in between', () => {
    const world = new World(rated(), T0);
    beats(world, 'sssssfsfs');
    expect(world.status).toBe('up');
    beats(world, 'f');
    expect(world.status).toBe('down');
    expect(world.lastFlip!.reason).toBe(
      '3 of the last 10 runs failed (threshold 3 of 10); the latest: received a failure signal (1 consecutive failures, threshold 5)',
    );
    expect(world.lastFlip!.alert).toBe('down');
  });

  it('stays down while the rate is at the limit and recovers on the success that brings it below', () => {
    const world = new World(rated(), T0);
    beats(world, 'sssssfsfsf');
    expect(world.status).toBe('down');
    // The window slides: the failure of run 6 leaves it with run 16, the sixth success.
    beats(world, 'sssss');
    expect(world.status).toBe('down');
    beats(world, 's');
    expect(world.status).toBe('up');
    expect(recentFailures(world.timing, world.state.recent_outcomes)).toEqual({ failed: 2, of: 10 });
  });

  it('missed beats count as failed runs', () => {
    const world = new World(rated(), T0);
    beats(world, 'sfsf');
    // The job then skips a beat: 5 minutes + 1 minute of grace after its last report.
    world.advanceBy(6 * MIN);
    expect(world.status).toBe('down');
    expect(world.lastFlip!.reason).toMatch(/^3 of the last 5 runs failed \(threshold 3 of 10\); the latest: no heartbeat received within/);
  });

  it('without the setting nothing is kept and failures below the threshold never take the check down', () => {
    const world = new World(timing({ failure_threshold: 5 }), T0);
    beats(world, 'fsfsfsfsfs');
    expect(world.status).toBe('up');
    expect(world.state.recent_outcomes ?? null).toBeNull();
  });

  it('property: with thresholds out of reach, a check is down exactly when count of its last window runs failed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((window) => fc.tuple(fc.constant(window), fc.integer({ min: 1, max: window }))),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }),
        ([window, count], outcomes) => {
          const world = new World(rated({ failure_threshold: 1000, failure_rate_count: count, failure_rate_window: window }), T0);
          const seen: boolean[] = [];
          for (const failed of outcomes) {
            beats(world, failed ? 'f' : 's');
            seen.push(failed);
            const failures = seen.slice(-window).filter(Boolean).length;
            expect(world.status).toBe(failures >= count ? 'down' : 'up');
            expect((world.state.recent_outcomes ?? '').length).toBeLessThanOrEqual(window);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
