// The limits of what a client may set on a check, defined once: the API's JSON schema (api/schemas.ts) and the
// validation of every other way in (checks/settings.ts: monitors as code, other services' management APIs) read them.
import { DAY_S, MINUTE_S } from '../core/index.js';

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
} as const;

/** How many items a list field holds at most. */
export const LIST_LIMITS = {
  tags: 50,
  methods: 3,
  channels: 100,
} as const;
