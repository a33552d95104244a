// Times for tests on a manual clock.
export { T0, SECOND, MINUTE, HOUR } from './checks.js';
export const DAY_MS = 86_400_000;
