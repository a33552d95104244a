// Validation and defaults of the failure-rate and quorum settings (issue 16), kept beside settings.ts.
import type { Timing } from '../core/index.js';
import { badRequest } from '../errors.js';
import { checkNumberLimit } from './limits.js';

interface RateAndQuorum {
  failure_rate_count?: number | null;
  failure_rate_window?: number | null;
  quorum_hosts?: number | null;
}

/** Throws a 400 naming the field out of range. Rules across fields (both or neither, count ≤ window) need the stored values: mergeRateAndQuorum. */
export function validateRateAndQuorum(input: RateAndQuorum): void {
  checkNumberLimit('failure_rate_window', input.failure_rate_window);
  checkNumberLimit('failure_rate_count', input.failure_rate_count);
  checkNumberLimit('quorum_hosts', input.quorum_hosts);
}

/** The rate and quorum settings of an input laid over an existing timing. */
export function mergeRateAndQuorum(
  input: RateAndQuorum,
  base: Timing | null,
): Pick<Timing, 'failure_rate_count' | 'failure_rate_window' | 'quorum_hosts'> {
  const merged = {
    failure_rate_count: input.failure_rate_count !== undefined ? input.failure_rate_count : (base?.failure_rate_count ?? null),
    failure_rate_window: input.failure_rate_window !== undefined ? input.failure_rate_window : (base?.failure_rate_window ?? null),
    quorum_hosts: input.quorum_hosts !== undefined ? input.quorum_hosts : (base?.quorum_hosts ?? null),
  };
  const { failure_rate_count: count, failure_rate_window: window } = merged;
  if ((count == null) !== (window == null)) {
    throw badRequest(
      'invalid_field',
      'failure_rate_count and failure_rate_window go together: give both (e.g. 3 and 10 for "3 of the last 10 runs") or set both to null.',
    );
  }
  if (count != null && window != null && count > window) {
    throw badRequest(
      'invalid_field',
      `failure_rate_count (${count}) cannot exceed failure_rate_window (${window}): it counts failures among the last ${window} runs.`,
    );
  }
  return merged;
}
