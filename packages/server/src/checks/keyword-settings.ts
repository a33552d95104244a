// healthchecks.io's keyword settings in the native API: flat fields with its names, kept in a check's `extra`
// (where its Management API v3 keeps them too), so both APIs read and write the same settings.
import type { CheckInput } from './settings.js';

/** Keywords (comma-separated, at most 200 characters) and switches; filter_http_body turns the HTTP body filter on. */
export const KEYWORD_TEXT_FIELDS = ['start_kw', 'success_kw', 'failure_kw'] as const;
export const KEYWORD_FLAG_FIELDS = ['filter_http_body', 'filter_default_fail', 'filter_subject', 'filter_body'] as const;

/** The keyword fields as the API shows them. */
export type KeywordSettings = Record<(typeof KEYWORD_TEXT_FIELDS)[number], string> & Record<(typeof KEYWORD_FLAG_FIELDS)[number], boolean>;

type Body = CheckInput & Record<string, unknown>;

/** Moves the keyword fields of a create/change body into its `extra`, over the check's current `extra` (JSON or null). */
export function foldKeywordSettings(fields: CheckInput, currentExtra: string | null): CheckInput {
  const body = fields as Body;
  const given = [...KEYWORD_TEXT_FIELDS, ...KEYWORD_FLAG_FIELDS].filter((field) => body[field] !== undefined);
  if (given.length === 0) return body;
  const input: Body = { ...body };
  const extra: Record<string, unknown> = { ...(currentExtra ? JSON.parse(currentExtra) : {}), ...(body.extra ?? {}) };
  for (const field of given) {
    extra[field] = input[field];
    delete input[field];
  }
  input.extra = extra;
  return input;
}

/** The keyword settings of a check as the API shows them: every field, with healthchecks.io's defaults. */
export function keywordSettingsOf(extraJson: string | null): KeywordSettings {
  const extra = (extraJson ? JSON.parse(extraJson) : {}) as Record<string, unknown>;
  const shown = {} as KeywordSettings;
  for (const field of KEYWORD_TEXT_FIELDS) shown[field] = typeof extra[field] === 'string' ? (extra[field] as string) : '';
  for (const field of KEYWORD_FLAG_FIELDS) shown[field] = extra[field] === true;
  return shown;
}
