// The monitors-as-code file (overdue.yaml): its sections, how it is read from YAML or JSON, and the problems a
// reader reports with their path (`checks[3].schedule.expr: …`) so every mistake in a file is listed at once.
import { parseDocument } from 'yaml';
import { Type } from 'typebox';
import { ChannelInputSchema, UpdateCheckSchema } from '../api/schemas.js';

/** The version of the file format this server writes and reads. */
export const DOCUMENT_VERSION = 1;

/**
 * The top-level sections the file may have. A section a file leaves out is not managed by it: `--prune` only
 * deletes within the sections the file names. Dependencies will be a section beside these.
 */
export const SECTIONS = ['checks', 'channels', 'windows'] as const;

/** Most entries one section may hold (a bound on the work one request can cause). */
export const MAX_ENTRIES = 5000;

/** A check as the file describes it: its slug, then any setting of a check (protocol.md §6); channels by name. */
export type CheckEntry = Record<string, unknown> & { slug: string };

/** A notification channel as the file describes it, matched by name. */
export interface ChannelEntry {
  name: string;
  kind: string;
  config?: Record<string, unknown>;
  is_default?: boolean;
  notify_late?: boolean;
}

export interface AsCodeDocument {
  version: number;
  checks?: CheckEntry[];
  channels?: ChannelEntry[];
  /** Maintenance windows (windows.ts), matched by name. */
  windows?: Array<Record<string, unknown> & { name: string }>;
}

/** One thing wrong with a file: where (`checks[3].schedule.expr`), a stable code, and what to do. */
export interface Problem {
  path: string;
  code: string;
  message: string;
}

/** A validator compiled from a JSON schema (the API's own, so the rules are the same): null when the value is fine. */
export type SchemaCheck = (value: unknown) => { path: string; message: string } | null;
export type SchemaCompiler = (schema: object) => SchemaCheck;

/** The settings a check entry may carry: every field a PATCH /checks/{id} takes, from the one schema that defines them. */
export const CHECK_SETTINGS = Object.keys(UpdateCheckSchema.properties);

/** The fields of a channel entry, from the channel API's schema. */
export const ChannelEntrySchema = Type.Partial(ChannelInputSchema, { additionalProperties: false });

/** `checks[3]` + `/schedule/expr` → `checks[3].schedule.expr`. */
export function joinPath(base: string, pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part}`), base);
}

/** A document sent as text (YAML, of which JSON is a part) or as an already parsed object. */
export function readDocument(source: unknown, problems: Problem[]): Record<string, unknown> | null {
  let value = source;
  if (typeof source === 'string') {
    const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
      for (const error of doc.errors) {
        const line = error.linePos?.[0];
        problems.push({
          path: line ? `line ${line.line}, column ${line.col}` : 'document',
          code: 'invalid_yaml',
          message: error.message.split('\n')[0],
        });
      }
      return null;
    }
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({ path: 'document', code: 'invalid_yaml', message: (error as Error).message });
      return null;
    }
  }
  if (value == null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      path: 'document',
      code: 'invalid_document',
      message: `The file must be a mapping with the sections ${SECTIONS.join(', ')} (and version: ${DOCUMENT_VERSION}).`,
    });
    return null;
  }
  const doc = value as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (key !== 'version' && !(SECTIONS as readonly string[]).includes(key)) {
      problems.push({
        path: key,
        code: 'unknown_section',
        message: `Unknown section "${key}"; this server reads ${SECTIONS.join(', ')} (a newer server may know more).`,
      });
    }
  }
  if (doc.version !== undefined && doc.version !== DOCUMENT_VERSION) {
    problems.push({
      path: 'version',
      code: 'unsupported_version',
      message: `version must be ${DOCUMENT_VERSION} (or left out); got ${JSON.stringify(doc.version)}.`,
    });
  }
  for (const section of SECTIONS) {
    const list = doc[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) problems.push({ path: section, code: 'invalid_section', message: `${section} must be a list.` });
    else if (list.length > MAX_ENTRIES)
      problems.push({
        path: section,
        code: 'too_many_entries',
        message: `${section} may hold at most ${MAX_ENTRIES} entries; split the file.`,
      });
  }
  return doc;
}

/** The entries of a section that are mappings; anything else is reported. */
export function entriesOf(doc: Record<string, unknown>, section: string, problems: Problem[]): Array<[number, Record<string, unknown>]> {
  const list = doc[section];
  if (!Array.isArray(list) || list.length > MAX_ENTRIES) return [];
  const entries: Array<[number, Record<string, unknown>]> = [];
  list.forEach((entry, i) => {
    if (entry == null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ path: `${section}[${i}]`, code: 'invalid_entry', message: 'Each entry must be a mapping of field: value.' });
    } else {
      entries.push([i, entry as Record<string, unknown>]);
    }
  });
  return entries;
}

/**
 * Checks each field of an entry on its own against `schema` (all fields optional), so every wrong field is reported,
 * not only the first; returns the entry with the schema's coercions applied, or null when a field was wrong.
 */
export function checkFields(
  entry: Record<string, unknown>,
  allowed: readonly string[],
  check: SchemaCheck,
  path: string,
  problems: Problem[],
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let ok = true;
  for (const [field, value] of Object.entries(entry)) {
    if (!allowed.includes(field)) {
      problems.push({
        path: `${path}.${field}`,
        code: 'unknown_field',
        message: `Unknown field "${field}"; a ${path.replace(/\[\d+\]$/, '').replace(/s$/, '')} takes ${allowed.join(', ')}.`,
      });
      ok = false;
      continue;
    }
    const single = { [field]: value };
    const error = check(single);
    if (error) {
      problems.push({ path: joinPath(path, error.path || `/${field}`), code: 'invalid_field', message: error.message });
      ok = false;
    } else {
      out[field] = single[field];
    }
  }
  return ok ? out : null;
}
