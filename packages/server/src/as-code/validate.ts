// Reading a monitors-as-code file against a workspace before anything changes: every entry is checked with the
// rules the API uses (its JSON schemas, validateInput, each channel kind's parseConfig) and every problem is kept.
import { OverdueError } from '../errors.js';
import type { Db } from '../store/db.js';
import type { ChannelRow, CheckRow } from '../store/schema.js';
import { listChannels } from '../store/channels.js';
import { changedConfig, channelKind, channelKinds } from '../alerts/channels/index.js';
import { maskSecret } from '../alerts/channels/fields.js';
import { lateWarningRefusal } from '../alerts/late-warning.js';
import type { ChannelKind } from '../alerts/channels/channel.js';
import { validateInput, type CheckInput } from '../checks/settings.js';
import { UpdateCheckSchema } from '../api/schemas.js';
import { CHECK_SETTINGS, ChannelEntrySchema, checkFields, entriesOf, type Problem, type SchemaCompiler } from './document.js';
import { workspaceChecks } from './export.js';
import type { MaintenanceWindowRow } from '../store/schema.js';
import { listWindows } from '../store/maintenance-windows.js';
import { prepareWindows, slugsForWindows, type WantedWindow } from './windows.js';

/** A channel the file names, read and validated; `config` is what the channel's config will be (null: left alone). */
export interface WantedChannel {
  path: string;
  name: string;
  kind: ChannelKind;
  row: ChannelRow | null;
  config: Record<string, unknown> | null;
  isDefault: boolean | undefined;
  notifyLate: boolean | undefined;
}

/** A check the file names, its settings validated and normalised; channels still by name. */
export interface WantedCheck {
  path: string;
  slug: string;
  row: CheckRow | null;
  input: CheckInput;
  channelNames: string[] | undefined;
}

export interface Prepared {
  channels: WantedChannel[] | null;
  checks: WantedCheck[] | null;
  existingChannels: ChannelRow[];
  existingChecks: CheckRow[];
  windows: WantedWindow[] | null;
  existingWindows: MaintenanceWindowRow[];
}

/**
 * A channel's config from the file laid over the stored one, validated by its kind, exactly as PATCH /channels
 * does it (changedConfig): fields left out keep their value, a secret written masked keeps the stored secret, and a
 * new destination needs its secrets anew. A reader secret (a body template) masked as a read key's export shows
 * it keeps its value too, so a file exported with a read key applies back unchanged.
 */
export function changedChannelConfig(
  kind: ChannelKind,
  stored: Record<string, unknown>,
  change: Record<string, unknown>,
): Record<string, unknown> {
  const kept = { ...change };
  for (const field of kind.readerSecrets ?? []) {
    if (stored[field] != null && field in kept && kept[field] === maskSecret(stored[field])) kept[field] = stored[field];
  }
  return changedConfig(kind, stored, kept);
}

/** Secret fields of a new channel's config that hold a mask (as export writes them) instead of the secret. */
function maskedSecrets(kind: ChannelKind, config: Record<string, unknown>): string[] {
  const masked = (v: unknown) => typeof v === 'string' && (/^\*{4}/.test(v) || v.endsWith('/…'));
  const fields = [...kind.secrets, ...(kind.readerSecrets ?? [])].filter((f) => masked(config[f]));
  for (const field of kind.secretMaps ?? []) {
    const map = config[field];
    if (map && typeof map === 'object') for (const [name, v] of Object.entries(map)) if (v === '****') fields.push(`${field}.${name}`);
  }
  return fields;
}

const problemOf = (path: string, error: unknown): Problem => {
  if (error instanceof OverdueError) return { path, code: error.code, message: error.message };
  throw error;
};

function prepareChannels(
  entries: Array<[number, Record<string, unknown>]>,
  existing: ChannelRow[],
  compile: SchemaCompiler,
  problems: Problem[],
): WantedChannel[] {
  const check = compile(ChannelEntrySchema);
  const seen = new Set<string>();
  const wanted: WantedChannel[] = [];
  for (const [i, entry] of entries) {
    const path = `channels[${i}]`;
    const fields = checkFields(entry, Object.keys(ChannelEntrySchema.properties), check, path, problems);
    if (!fields) continue;
    if (typeof fields.name !== 'string') {
      problems.push({ path: `${path}.name`, code: 'invalid_field', message: 'name is required: channels are matched by name.' });
      continue;
    }
    const name = fields.name.trim();
    if (seen.has(name)) {
      problems.push({
        path: `${path}.name`,
        code: 'duplicate_name',
        message: `Another entry already names the channel "${name}"; names must be unique.`,
      });
      continue;
    }
    seen.add(name);
    const kind = typeof fields.kind === 'string' ? channelKind(fields.kind) : undefined;
    if (!kind) {
      problems.push({ path: `${path}.kind`, code: 'unknown_channel_kind', message: `kind must be one of ${channelKinds().join(', ')}.` });
      continue;
    }
    const rows = existing.filter((c) => c.name === name);
    if (rows.length > 1) {
      problems.push({
        path: `${path}.name`,
        code: 'ambiguous_name',
        message: `${rows.length} channels in this workspace are named "${name}"; rename all but one in the dashboard first.`,
      });
      continue;
    }
    const row = rows[0] ?? null;
    if (row && row.kind !== kind.kind) {
      problems.push({
        path: `${path}.kind`,
        code: 'kind_change',
        message: `The channel "${name}" is a ${row.kind} channel; a channel cannot change kind: give the new one another name.`,
      });
      continue;
    }
    const refusal = lateWarningRefusal(kind.kind, fields.notify_late as boolean | undefined);
    if (refusal) {
      problems.push({ path: `${path}.notify_late`, code: 'invalid_field', message: refusal });
      continue;
    }
    const change = fields.config as Record<string, unknown> | undefined;
    let config: Record<string, unknown> | null = null;
    try {
      if (row) {
        if (change) config = changedChannelConfig(kind, JSON.parse(row.config) as Record<string, unknown>, change);
      } else {
        if (!change) {
          problems.push({
            path: `${path}.config`,
            code: 'invalid_field',
            message: `config is required for a new channel (see GET /api/v1/channels for the fields of a ${kind.kind} channel).`,
          });
          continue;
        }
        const masked = maskedSecrets(kind, change);
        if (masked.length) {
          problems.push({
            path: `${path}.config.${masked[0]}`,
            code: 'secret_required',
            message: `The channel "${name}" is new here, so its secrets cannot be kept: write ${masked.map((f) => `config.${f}`).join(', ')} in full, not masked as export shows them.`,
          });
          continue;
        }
        config = kind.parseConfig(change);
      }
    } catch (error) {
      problems.push(problemOf(`${path}.config`, error));
      continue;
    }
    wanted.push({
      path,
      name,
      kind,
      row,
      config,
      isDefault: fields.is_default as boolean | undefined,
      notifyLate: fields.notify_late as boolean | undefined,
    });
  }
  return wanted;
}

/** Where a schedule problem is: the cron expression, its time zone, or the interval's period. */
function schedulePath(path: string, input: CheckInput, message: string): string {
  if (input.schedule?.kind === 'cron') return `${path}.schedule.${/time zone/.test(message) ? 'tz' : 'expr'}`;
  return `${path}.schedule.period_s`;
}

function prepareChecks(
  entries: Array<[number, Record<string, unknown>]>,
  existing: CheckRow[],
  channelNames: Set<string>,
  compile: SchemaCompiler,
  problems: Problem[],
): WantedCheck[] {
  const check = compile(UpdateCheckSchema);
  const bySlug = new Map(existing.map((c) => [c.slug, c]));
  const seen = new Set<string>();
  const wanted: WantedCheck[] = [];
  for (const [i, entry] of entries) {
    const path = `checks[${i}]`;
    const fields = checkFields(entry, CHECK_SETTINGS, check, path, problems);
    if (!fields) continue;
    if (typeof fields.slug !== 'string' || fields.slug === '') {
      problems.push({ path: `${path}.slug`, code: 'invalid_field', message: 'slug is required: checks are matched by slug.' });
      continue;
    }
    const slug = fields.slug;
    if (seen.has(slug)) {
      problems.push({
        path: `${path}.slug`,
        code: 'duplicate_slug',
        message: `Another entry already has the slug "${slug}"; slugs must be unique.`,
      });
      continue;
    }
    seen.add(slug);
    const row = bySlug.get(slug) ?? null;
    const { channels, ...settings } = fields as CheckInput & { channels?: string[] };
    let ok = true;
    (channels ?? []).forEach((name, j) => {
      if (!channelNames.has(name)) {
        ok = false;
        problems.push({
          path: `${path}.channels[${j}]`,
          code: 'unknown_channel',
          message: `No channel named "${name}" in this workspace or in the file's channels section (or --prune deletes it).`,
        });
      }
    });
    if (!row && settings.name === undefined) settings.name = slug;
    // Each field on its own first, so every wrong field is named; then the whole entry for rules across fields.
    for (const [field, value] of Object.entries(settings)) {
      try {
        validateInput({ [field]: structuredClone(value) } as CheckInput, false);
      } catch (error) {
        const problem = problemOf(`${path}.${field}`, error);
        if (field === 'schedule') problem.path = schedulePath(path, settings, problem.message);
        problems.push(problem);
        ok = false;
      }
    }
    if (!ok) continue;
    try {
      validateInput(settings, !row);
    } catch (error) {
      problems.push(problemOf(path, error));
      continue;
    }
    wanted.push({ path, slug, row, input: settings, channelNames: channels ? [...new Set(channels)] : undefined });
  }
  return wanted;
}

/** Reads the file's sections against the workspace; problems are added to `problems`, nothing is written. */
export async function prepare(
  db: Db,
  workspaceId: string,
  doc: Record<string, unknown>,
  prune: boolean,
  compile: SchemaCompiler,
  problems: Problem[],
): Promise<Prepared> {
  const existingChannels = await listChannels(db, workspaceId);
  const existingChecks = await workspaceChecks(db, workspaceId);
  const channels = doc.channels == null ? null : prepareChannels(entriesOf(doc, 'channels', problems), existingChannels, compile, problems);
  // A check may name a channel the file creates, or one that exists and stays.
  const names = new Set(channels?.map((c) => c.name) ?? []);
  const ambiguous = new Set(
    existingChannels.filter((c, i) => existingChannels.findIndex((o) => o.name === c.name) !== i).map((c) => c.name),
  );
  if (!(prune && channels)) for (const c of existingChannels) if (!ambiguous.has(c.name)) names.add(c.name);
  const checks = doc.checks == null ? null : prepareChecks(entriesOf(doc, 'checks', problems), existingChecks, names, compile, problems);
  const existingWindows = await listWindows(db, workspaceId);
  const windows =
    doc.windows == null
      ? null
      : prepareWindows(
          entriesOf(doc, 'windows', problems),
          existingWindows,
          slugsForWindows(existingChecks, checks?.map((c) => c.slug) ?? null, prune),
          compile,
          problems,
        );
  return { channels, checks, existingChannels, existingChecks, windows, existingWindows };
}
