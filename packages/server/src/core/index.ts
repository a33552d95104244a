// The pure core: schedule math and the check state machine. No I/O, no clock: time is always a parameter.
export * from './types.js';
export * from './schedule.js';
export * from './durations.js';
export * from './apply-signal.js';
export * from './deadline.js';
export * from './lifecycle.js';
export * from './flip.js';
export { MISS_PHRASE, truncate } from './reasons.js';
export * from './timeline.js';
export * from './expected-beats.js';
export * from './alert-policy.js';
export * from './combined-status.js';
export * from './maintenance.js';
export * from './snooze.js';
