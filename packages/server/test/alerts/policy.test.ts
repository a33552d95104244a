// The pure alert policy: cooldown holds, reminder times, and when a batched notification goes out.
import { describe, expect, it } from 'vitest';
import { batchedSendAt, firstRealertAt, LONE_ALERT_MAX_HOLD_MS, nextRealertAt, onCheckDown, realertDue } from '../../src/core/index.js';

const MIN = 60_000;
const off = { cooldown_ms: null, realert_ms: null };

describe('cooldown', () => {
  it('opens an incident when there is no cooldown or no earlier incident', () => {
    expect(onCheckDown(off, 1000, 2000)).toEqual({ kind: 'open' });
    expect(onCheckDown({ ...off, cooldown_ms: 10 * MIN }, null, 2000)).toEqual({ kind: 'open' });
  });

  it('holds a new incident until N after the last one resolved, and no longer', () => {
    const policy = { ...off, cooldown_ms: 10 * MIN };
    expect(onCheckDown(policy, 0, 3 * MIN)).toEqual({ kind: 'hold', until: 10 * MIN });
    expect(onCheckDown(policy, 0, 10 * MIN)).toEqual({ kind: 'open' });
  });
});

describe('reminders', () => {
  const policy = { ...off, realert_ms: 30 * MIN };

  it('are off unless the check sets an interval', () => {
    expect(firstRealertAt(off, 0)).toBeNull();
    expect(nextRealertAt(off, 0, 0)).toBeNull();
  });

  it('come every interval after the first alert', () => {
    expect(firstRealertAt(policy, 5 * MIN)).toBe(35 * MIN);
    expect(nextRealertAt(policy, 35 * MIN, 35 * MIN)).toBe(65 * MIN);
  });

  it('collapse after a long gap: the next one is a full interval after now', () => {
    expect(nextRealertAt(policy, 35 * MIN, 200 * MIN)).toBe(230 * MIN);
  });

  it('are due only for open, unacknowledged, published incidents whose time has come', () => {
    const open = { resolved_at: null, acknowledged_at: null, draft: false, next_alert_at: 10 };
    expect(realertDue(open, 10)).toBe(true);
    expect(realertDue(open, 9)).toBe(false);
    expect(realertDue({ ...open, acknowledged_at: 5 }, 10)).toBe(false);
    expect(realertDue({ ...open, resolved_at: 5 }, 10)).toBe(false);
    expect(realertDue({ ...open, draft: true }, 10)).toBe(false);
    expect(realertDue({ ...open, next_alert_at: null }, 10)).toBe(false);
  });
});

describe('batched sending', () => {
  const window = 60_000;

  it('holds a lone alert for at most a second', () => {
    expect(LONE_ALERT_MAX_HOLD_MS).toBeLessThanOrEqual(1000);
    expect(batchedSendAt(window, { gatheringUntil: null, lastSent: null }, 5000)).toBe(6000);
    expect(batchedSendAt(window, { gatheringUntil: null, lastSent: { at: 4000, size: 1 } }, 5000)).toBe(6000);
  });

  it('joins a digest that is still gathering', () => {
    expect(batchedSendAt(window, { gatheringUntil: 5600, lastSent: null }, 5000)).toBe(5600);
  });

  it('waits for the end of the window while a storm is on, and not after', () => {
    expect(batchedSendAt(window, { gatheringUntil: null, lastSent: { at: 1000, size: 200 } }, 5000)).toBe(61_000);
    expect(batchedSendAt(window, { gatheringUntil: null, lastSent: { at: 1000, size: 200 } }, 61_000)).toBe(62_000);
  });
});
