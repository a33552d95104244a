// The public status page says what kind of trouble a check is in, never the internal reason it was recorded with.
import { describe, expect, it } from 'vitest';
import { publicReason } from '../../src/publish/public-reason.js';

describe("an incident's reason on the public status page", () => {
  it.each([
    [
      'no heartbeat received within expected interval + grace period (5m + 1m); last heartbeat at 2026-12-04T13:02:21.929Z',
      'It did not check in on schedule.',
    ],
    ['received a failure signal with exit code 3: pg_dump: connection to 10.0.3.4 lost', 'It reported a failure.'],
    [
      'run started at 2026-12-04T13:04:26.073Z did not finish within 10m (grace period, no max runtime set)',
      'A run did not finish in time.',
    ],
    ['something the page does not know yet', 'It is not working as expected.'],
  ])('%s → %s', (reason, shown) => {
    expect(publicReason(reason)).toBe(shown);
  });
});
