// The limits of what a client may set on a check, defined once: the API's JSON schema (api/schemas.ts) and the
// validation of every other way in (checks/settings.ts: monitors as code, other services' management APIs) read them.
import { DAY_S, MAX_FAILURE_RATE_WINDOW, MAX_QUORUM_HOSTS, MINUTE_S } from '../core/index.js';
import { badRequest } from '../errors.js';

/** Lengths of text fields, in characters. */
export const TEXT_LIMITS = {
  name: 200,
  slug: 100,
  description: 4000,
  project: 200,
  service: 200,
  tag: 64,
  /** Each of start_kw, success_kw, failure_kw (comma-separated keywords). */
  keywords: 200,
  cron_expr: 200,
  oncalendar_expr: 500,
  tz: 64,
  /** Settings of a replaced service kept verbatim, as JSON. */
  extra_json: 16_000,
} as const;

/** Numbers: the smallest and largest value each field takes (integers unless `integer: false`). */
export const NUMBER_LIMITS = {
  period_s: { minimum: 1 },
  grace_s: { minimum: 0, maximum: 366 * DAY_S },
  grace_multiplier: { minimum: 1, maximum: 100, integer: false },
  max_runtime_s: { minimum: 1, maximum: 366 * DAY_S },
  failure_threshold: { minimum: 1, maximum: 1000 },
  recovery_threshold: { minimum: 1, maximum: 1000 },
  cooldown_s: { minimum: 0, maximum: 30 * DAY_S },
  realert_s: { minimum: MINUTE_S, maximum: 30 * DAY_S },
  // Run-shape rules (docs/alerts.md).
  min_runtime_s: { minimum: 1, maximum: 366 * DAY_S },
  early_tolerance_s: { minimum: 0, maximum: 366 * DAY_S },
  duration_anomaly_factor: { minimum: 1, maximum: 1000, integer: false },
  // Failure rate and quorum: the core keeps at most this many recent runs and hosts.
  failure_rate_count: { minimum: 1, maximum: MAX_FAILURE_RATE_WINDOW },
  failure_rate_window: { minimum: 2, maximum: MAX_FAILURE_RATE_WINDOW },
  quorum_hosts: { minimum: 1, maximum: MAX_QUORUM_HOSTS },
} as const;

/** How many items a list field holds at most. */
export const LIST_LIMITS = {
  tags: 50,
  methods: 3,
  channels: 100,
  /** Parents a check may name: a job depends on its host and a few services, not on hundreds of checks. */
  depends_on: 20,
} as const;

/**
 * Throws a 400 naming `field` when `value` is outside its NUMBER_LIMITS (or not whole where it must be); null and
 * undefined pass. `nullMeans` tells the user what null would do instead, for settings that null turns off.
 */
export function checkNumberLimit(field: keyof typeof NUMBER_LIMITS, value: number | null | undefined, nullMeans?: string): void {
  if (value == null) return;
  const limits: { minimum: number; maximum?: number; integer?: boolean } = NUMBER_LIMITS[field];
  const [min, max, integer] = [limits.minimum, limits.maximum ?? Number.MAX_SAFE_INTEGER, limits.integer ?? true];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const orNull = nullMeans ? ` (or null for ${nullMeans})` : '';
    throw badRequest(
      'invalid_field',
      `${field} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}${orNull}; got ${value}.`,
    );
  }
}
