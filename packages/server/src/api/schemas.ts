// JSON schemas of the management API (validation and the OpenAPI document come from the same source).
import { Type, type Static } from 'typebox';
import { PUSH_TOKEN_PATTERN, SEVERITIES } from '../checks/settings.js';
import { PRESET_NAMES } from '../checks/presets.js';
import { LIST_LIMITS, NUMBER_LIMITS, TEXT_LIMITS } from '../checks/limits.js';

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Nullable(Type.String({ format: 'date-time' }));

/**
 * A request field that may be null. Spelled `nullable` rather than a union with null: Ajv runs with
 * coerceTypes (for query strings), and coercion inside the first branch of a union would turn a null
 * into "" or 0 (clearing grace_s would silently set zero grace).
 */
const NullableInput = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

/** The JSON-schema bounds of a number field of checks/limits.ts. */
function bounds(field: keyof typeof NUMBER_LIMITS): { minimum: number; maximum?: number } {
  const { minimum, maximum } = NUMBER_LIMITS[field] as { minimum: number; maximum?: number };
  return maximum === undefined ? { minimum } : { minimum, maximum };
}

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String() }),
  },
  { $id: 'Error' },
);

export const ScheduleSchema = Type.Union([
  Type.Object({ kind: Type.Literal('interval'), period_s: Type.Integer(bounds('period_s')) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('cron'),
      expr: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.cron_expr }),
      tz: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.tz, description: 'IANA time zone, default UTC' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('oncalendar'),
      expr: Type.String({
        minLength: 1,
        maxLength: TEXT_LIMITS.oncalendar_expr,
        description: 'systemd OnCalendar expression, e.g. "Mon..Fri 09:00" or "*-*-* 02:00:00"; one per line, due when any line is',
      }),
      tz: Type.Optional(
        Type.String({
          maxLength: TEXT_LIMITS.tz,
          description: 'IANA time zone, default UTC (a zone at the end of a line wins for that line)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);

/** Run-shape rules (docs/alerts.md "Run-shape rules"): each null (false) = off. */
const runShapeSettings = {
  min_runtime_s: NullableInput(
    Type.Integer({
      ...bounds('min_runtime_s'),
      description: 'a run that ends in success sooner than this many seconds counts as a failure ("finished too fast")',
    }),
  ),
  early_tolerance_s: NullableInput(
    Type.Integer({
      ...bounds('early_tolerance_s'),
      description:
        'a success earlier than period − this many seconds after the last one (cron: a second success in one scheduled slot) counts as a failure ("ran too often")',
    }),
  ),
  duration_anomaly_factor: NullableInput(
    Type.Number({
      ...bounds('duration_anomaly_factor'),
      description: "a run longer than this × the p95 of the check's last 20 successful runs (once it has 10) counts as a failure",
    }),
  ),
  extend_on_progress: Type.Boolean({
    description: "a progress or log signal moves its running run's timeout to signal time + max_runtime_s (else grace)",
  }),
};

const settings = {
  name: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.name }),
  slug: Type.String({ maxLength: TEXT_LIMITS.slug }),
  description: Type.String({ maxLength: TEXT_LIMITS.description }),
  schedule: ScheduleSchema,
  grace_s: NullableInput(Type.Integer(bounds('grace_s'))),
  grace_multiplier: NullableInput(Type.Number(bounds('grace_multiplier'))),
  max_runtime_s: NullableInput(Type.Integer(bounds('max_runtime_s'))),
  failure_threshold: Type.Integer(bounds('failure_threshold')),
  recovery_threshold: Type.Integer(bounds('recovery_threshold')),
  manual_resume: Type.Boolean(),
  alert_before_first_ping: Type.Boolean(),
  enabled: Type.Boolean(),
  methods: NullableInput(Type.Array(Type.String(), { maxItems: LIST_LIMITS.methods })),
  tags: Type.Array(Type.String({ maxLength: TEXT_LIMITS.tag }), { maxItems: LIST_LIMITS.tags }),
  project: NullableInput(Type.String({ maxLength: TEXT_LIMITS.project })),
  service: NullableInput(Type.String({ maxLength: TEXT_LIMITS.service })),
  channels: Type.Array(Type.String(), { maxItems: LIST_LIMITS.channels }),
  // Ajv's nullable needs null among an enum's values too.
  severity: Type.Unsafe<string | null>({
    type: 'string',
    enum: [...SEVERITIES, null],
    nullable: true,
    description: 'incident severity; null = minor',
  }),
  cooldown_s: NullableInput(
    Type.Integer({ ...bounds('cooldown_s'), description: 'no new incident within this many seconds after the last one resolved' }),
  ),
  realert_s: NullableInput(
    Type.Integer({ ...bounds('realert_s'), description: 'remind every this many seconds while an incident is open and unacknowledged' }),
  ),
  filter_http_body: Type.Boolean({
    description: 'classify HTTP pings by keywords in their body (healthchecks.io): failure_kw, then success_kw, then start_kw',
  }),
  filter_default_fail: Type.Boolean({
    description: 'with filter_http_body: a body matching no keyword is a failure (else the ping is ignored)',
  }),
  filter_subject: Type.Boolean({ description: 'healthchecks.io e-mail filter switch, kept (Overdue receives no e-mail)' }),
  filter_body: Type.Boolean({ description: 'healthchecks.io e-mail filter switch, kept (Overdue receives no e-mail)' }),
  start_kw: Type.String({ maxLength: TEXT_LIMITS.keywords, description: 'comma-separated keywords that make a ping a start' }),
  success_kw: Type.String({ maxLength: TEXT_LIMITS.keywords, description: 'comma-separated keywords that make a ping a success' }),
  failure_kw: Type.String({ maxLength: TEXT_LIMITS.keywords, description: 'comma-separated keywords that make a ping a failure' }),
  push_token: NullableInput(
    Type.String({
      pattern: PUSH_TOKEN_PATTERN.source,
      description: 'Uptime Kuma push token kept from an import: /api/push/{push_token} pings this check; unique server-wide',
    }),
  ),
  ...runShapeSettings,
  failure_rate_count: NullableInput(
    Type.Integer({
      ...bounds('failure_rate_count'),
      description:
        'failure rate: down when this many of the last failure_rate_window runs failed, even if not in a row; null = off (give both)',
    }),
  ),
  failure_rate_window: NullableInput(
    Type.Integer({ ...bounds('failure_rate_window'), description: 'failure rate: how many recent runs (beats) are counted; null = off' }),
  ),
  quorum_hosts: NullableInput(
    Type.Integer({
      ...bounds('quorum_hosts'),
      description: 'quorum: this many distinct hosts must report success each period, else the period counts as a missed beat; null = off',
    }),
  ),
  depends_on: Type.Array(Type.String({ maxLength: TEXT_LIMITS.slug }), {
    maxItems: LIST_LIMITS.depends_on,
    description:
      'checks of this workspace (ids or slugs) this check depends on: while one is down, this check going down is folded into its incident instead of paging',
  }),
};

/** Fields only a create takes: ids a check keeps from the service it moves from, and a service's defaults. */
const createOnly = {
  id: Type.Optional(Type.String({ format: 'uuid', description: 'keep the UUID the check had in another service (default: a new one)' })),
  key: Type.Optional(
    Type.String({ pattern: '^[0-9A-Za-z]{8}$', description: 'keep the 8-character job key the check had (default: a new one)' }),
  ),
  preset: Type.Optional(Type.String({ enum: [...PRESET_NAMES], description: "start from that service's defaults; fields given here win" })),
};

const { name, ...optionalOnCreate } = settings;
export const CreateCheckSchema = Type.Object(
  {
    name,
    ...Type.Partial(Type.Object(optionalOnCreate)).properties,
    ...createOnly,
  },
  { additionalProperties: false },
);

export const UpdateCheckSchema = Type.Partial(Type.Object(settings), { additionalProperties: false });

/** Another check, named three ways: what depends_on and folded_into show. */
const CheckLinkSchema = Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() });

export const CheckSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    key: Nullable(Type.String({ description: 'the 8-character job key; null for viewers and read keys (it is a ping credential)' })),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    project: Nullable(Type.String()),
    service: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    tags: Type.Array(Type.String()),
    schedule: ScheduleSchema,
    grace_s: Nullable(Type.Integer()),
    grace_multiplier: Nullable(Type.Number()),
    max_runtime_s: Nullable(Type.Integer()),
    failure_threshold: Type.Integer(),
    recovery_threshold: Type.Integer(),
    manual_resume: Type.Boolean(),
    alert_before_first_ping: Type.Boolean(),
    enabled: Type.Boolean(),
    methods: Nullable(Type.Array(Type.String())),
    channels: Type.Array(Type.String()),
    severity: Nullable(Type.String()),
    cooldown_s: Nullable(Type.Integer()),
    realert_s: Nullable(Type.Integer()),
    filter_http_body: Type.Boolean(),
    filter_default_fail: Type.Boolean(),
    filter_subject: Type.Boolean(),
    filter_body: Type.Boolean(),
    start_kw: Type.String(),
    success_kw: Type.String(),
    failure_kw: Type.String(),
    push_token: Nullable(Type.String({ description: 'Uptime Kuma push token (/api/push/{push_token}), if one was kept' })),
    min_runtime_s: Nullable(Type.Integer()),
    early_tolerance_s: Nullable(Type.Integer()),
    duration_anomaly_factor: Nullable(Type.Number()),
    extend_on_progress: Type.Boolean(),
    failure_rate_count: Nullable(Type.Integer()),
    failure_rate_window: Nullable(Type.Integer()),
    recent_failures: Nullable(
      Type.Object(
        { failed: Type.Integer(), of: Type.Integer() },
        { description: 'with a failure rate set: how many of the last runs failed' },
      ),
    ),
    quorum_hosts: Nullable(Type.Integer()),
    quorum_period: Nullable(
      Type.Object(
        { expected_at: Type.String(), hosts: Type.Array(Type.String()) },
        { description: 'with a quorum set: the period being collected (the beat it ends at) and the hosts that reported success in it' },
      ),
    ),
    status: Type.String({ description: 'new, up, late, down or paused' }),
    running: Type.Boolean({ description: 'a run is open' }),
    degraded: Type.Boolean(),
    open_runs: Type.Integer(),
    consecutive_failures: Type.Integer(),
    ping_url: Nullable(Type.String({ description: 'null for viewers and read keys: whoever knows it can send signals' })),
    next_expected: Time,
    next_deadline: Time,
    last_signal_at: Time,
    last_success_at: Time,
    run_count: Type.Integer(),
    signal_count: Type.Integer(),
    last_duration_ms: Nullable(Type.Integer()),
    last_message: Nullable(Type.String()),
    current_run: Nullable(
      Type.Object(
        {
          id: Type.String(),
          rid: Nullable(Type.String()),
          started_at: Time,
          progress: Nullable(Type.Integer()),
          last_message: Nullable(Type.String()),
          host: Nullable(Type.String()),
          deadline_at: Nullable(
            Type.String({
              format: 'date-time',
              description: 'when this run times out unless it ends first (or, with extend_on_progress, reports progress)',
            }),
          ),
        },
        { description: 'the latest open run while the check is running: its start, progress percent, message and deadline' },
      ),
    ),
    host: Nullable(Type.String({ description: 'the host that reported the latest run' })),
    snoozed_until: { ...Time, description: 'a snoozed check resumes by itself then (POST /checks/{id}/snooze)' },
    maintenance_until: { ...Time, description: 'while a maintenance window covers the check: when it ends (nothing alerts until then)' },
    depends_on: Type.Array(CheckLinkSchema, { description: 'the checks this one depends on' }),
    folded_into: Nullable(
      Type.Object(
        { incident_id: Type.String(), check: CheckLinkSchema },
        {
          description:
            'while this check is down and a parent it depends on is down too: the parent incident its incident is folded into (it does not page)',
        },
      ),
    ),
    proposed_schedule: Nullable(
      Type.Object(
        {
          schedule: ScheduleSchema,
          sentence: Type.String({ description: 'the schedule in words, e.g. "every hour at :00"' }),
          explanation: Type.String({ description: 'the evidence it comes from' }),
        },
        {
          description:
            'a check created by a ping: the schedule its first pings suggest (accept: POST /checks/{id}/proposed-schedule/accept; dismiss: .../dismiss)',
        },
      ),
    ),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Check', additionalProperties: true },
);

export const CheckParams = Type.Object({
  check: Type.String({ description: 'the check UUID, its 8-character key or its read id (what read keys and viewers see)', maxLength: 64 }),
});

export const ListChecksQuery = Type.Object({
  status: Type.Optional(Type.String({ enum: ['new', 'up', 'late', 'down', 'paused', 'running', 'degraded'] })),
  tag: Type.Optional(Type.String({ maxLength: 64 })),
  project: Type.Optional(Type.String({ maxLength: 200 })),
  service: Type.Optional(Type.String({ maxLength: 200 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
});

export const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  bucket: Type.Optional(Type.String({ pattern: '^[0-9]+[smhd]$', description: 'bucket size, e.g. 1h or 1d' })),
});

export const RunSchema = Type.Object(
  {
    id: Type.String(),
    rid: Nullable(Type.String()),
    started_at: Time,
    ended_at: Time,
    duration_ms: Nullable(Type.Integer()),
    elapsed_ms: Nullable(Type.Integer({ description: 'time since the start while running (CronBeats elapsed time), else the duration' })),
    result: Nullable(Type.String()),
    exit_code: Nullable(Type.Integer()),
    progress: Nullable(Type.Integer()),
    last_message: Nullable(Type.String()),
    host: Nullable(Type.String()),
    running: Type.Boolean(),
    rule_violation: Nullable(
      Type.String({ description: 'why a run that reported success counted as a failure (a run-shape rule it broke)' }),
    ),
  },
  { additionalProperties: true },
);

export const SignalSchema = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String(),
    kind: Type.String(),
    run_id: Nullable(Type.String()),
    method: Nullable(Type.String()),
    source_ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    body: Nullable(Type.String()),
    body_size: Type.Integer(),
    message: Nullable(Type.String()),
    progress: Nullable(Type.Integer()),
    exit_code: Nullable(Type.Integer()),
    metadata: Type.Any(),
    dialect: Type.String(),
  },
  { additionalProperties: true },
);

export const FlipSchema = Type.Object(
  {
    at: Type.String(),
    from: Type.String(),
    to: Type.String(),
    reason: Type.String(),
  },
  { additionalProperties: true },
);

export const ChannelInputSchema = Type.Object(
  {
    kind: Type.String({ maxLength: 50 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    config: Type.Record(Type.String(), Type.Any()),
    is_default: Type.Optional(Type.Boolean({ description: 'subscribe new checks to this channel (default true)' })),
    notify_late: Type.Optional(
      Type.Boolean({ description: 'also send a "late" warning when a subscribed check goes late, before its down alert (default false)' }),
    ),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export type ListChecksQueryT = Static<typeof ListChecksQuery>;
export type RangeQueryT = Static<typeof RangeQuery>;

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
};
