// JSON schemas of maintenance windows and snooze (validation and the OpenAPI document come from the same source).
import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Nullable(Type.String({ format: 'date-time' }));
/** A request field that may be null (spelled `nullable`: Ajv's coerceTypes would turn null into "" inside a union). */
const NullableInput = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

const windowFields = {
  name: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'unique in the workspace; how the dashboard and monitors-as-code files name the window',
  }),
  check: NullableInput(Type.String({ maxLength: 200, description: 'the one check the window covers: its UUID, key, read id or slug' })),
  tag: NullableInput(Type.String({ maxLength: 64, description: 'every check with this tag (neither check nor tag: the whole workspace)' })),
  cron: NullableInput(
    Type.String({ maxLength: 200, description: 'recurring: when the window opens (5-field cron), with duration_s and tz' }),
  ),
  tz: NullableInput(Type.String({ maxLength: 64, description: "the cron expression's IANA time zone (default UTC)" })),
  duration_s: NullableInput(Type.Integer({ minimum: 60, maximum: 604800, description: 'recurring: how long each occurrence stays open' })),
  starts_at: NullableInput(Type.String({ format: 'date-time', description: 'one-off: when the window opens' })),
  ends_at: NullableInput(Type.String({ format: 'date-time', description: 'one-off: when it closes' })),
  reason: NullableInput(Type.String({ maxLength: 500, description: 'why, for people reading the dashboard' })),
};

const { name, ...optionalOnCreate } = windowFields;
export const CreateWindowSchema = Type.Object(
  { name, ...Type.Partial(Type.Object(optionalOnCreate)).properties },
  { additionalProperties: false },
);

export const UpdateWindowSchema = Type.Partial(Type.Object(windowFields), { additionalProperties: false });

export const WindowSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scope: Type.String({ enum: ['check', 'tag', 'workspace'] }),
    check: Nullable(Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() })),
    tag: Nullable(Type.String()),
    cron: Nullable(Type.String()),
    tz: Nullable(Type.String()),
    duration_s: Nullable(Type.Integer()),
    starts_at: Time,
    ends_at: Time,
    reason: Nullable(Type.String()),
    open_until: { ...Time, description: 'while the window is open: when it closes' },
    next_start: { ...Time, description: 'when it opens next (null: a one-off window that has begun)' },
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'MaintenanceWindow' },
);

export const SnoozeSchema = Type.Object(
  {
    duration_s: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'snooze for this long (7200: two hours)' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'or until this time' })),
  },
  { additionalProperties: false },
);
