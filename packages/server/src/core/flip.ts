import type { AlertKind, CheckState, Flip, Status } from './types.js';

/** Which incident event a status change means: going down opens one, leaving down resolves it. */
export function alertFor(from: Status, to: Status): AlertKind | null {
  if (to === 'down' && from !== 'down') return 'down';
  if (from === 'down' && to === 'up') return 'up';
  return null;
}

/**
 * Whether a status change is worth a flip. Passing between up (or new) and late is not: late is visible on
 * the check while it lasts, but a job that reports a few minutes after its tick would otherwise write two
 * flips every run. Flips record what people act on: up, down, paused.
 */
export function isFlip(from: Status, to: Status): boolean {
  if (from === to) return false;
  const settled = (s: Status) => s === 'up' || s === 'new';
  return !((settled(from) && to === 'late') || (from === 'late' && settled(to)));
}

/**
 * The status a flip starts from. Late is not recorded as a flip, so a late check's flip starts from the
 * settled status it was late in: up if it ever beat, new otherwise. The flip log stays a consistent chain.
 */
export function flipOrigin(prev: CheckState): Status {
  if (prev.status !== 'late') return prev.status;
  return prev.last_beat_at != null ? 'up' : 'new';
}

export function flipBetween(from: Status, to: Status, at: number, reason: string): Flip {
  return { at, from, to, reason, alert: alertFor(from, to) };
}
