// healthchecks.io's keyword filters for HTTP ping bodies: with filtering on, the body's keywords decide what a ping
// means (failure before success before start), else it fails or is ignored. Pure: a body and settings in, a kind out.

export interface KeywordFilter {
  /** Comma-separated keywords; a ping whose body contains one of them is a start / success / failure. */
  start_kw: string;
  success_kw: string;
  failure_kw: string;
  /** A body that matches no keyword is a failure (true) or ignored (false). */
  default_fail: boolean;
}

export type FilteredKind = 'start' | 'success' | 'fail' | 'ignored';

/** Whether `text` contains any of the comma-separated keywords (case-sensitive, surrounding blanks trimmed). */
export function containsKeyword(text: string, keywords: string): boolean {
  return keywords.split(',').some((keyword) => {
    const k = keyword.trim();
    return k !== '' && text.includes(k);
  });
}

/** What a ping with this body means under the filter: failure keywords win, then success, then start, then the default. */
export function classifyBody(body: string, filter: KeywordFilter): FilteredKind {
  if (filter.failure_kw && containsKeyword(body, filter.failure_kw)) return 'fail';
  if (filter.success_kw && containsKeyword(body, filter.success_kw)) return 'success';
  if (filter.start_kw && containsKeyword(body, filter.start_kw)) return 'start';
  return filter.default_fail ? 'fail' : 'ignored';
}

/**
 * The HTTP body filter a check's settings describe (healthchecks.io's names: filter_http_body, filter_default_fail,
 * start_kw, success_kw, failure_kw), or null when filtering is off.
 */
export function keywordFilterOf(settings: Record<string, unknown> | null): KeywordFilter | null {
  if (!settings || settings.filter_http_body !== true) return null;
  const text = (name: string) => (typeof settings[name] === 'string' ? (settings[name] as string) : '');
  return {
    start_kw: text('start_kw'),
    success_kw: text('success_kw'),
    failure_kw: text('failure_kw'),
    default_fail: settings.filter_default_fail === true,
  };
}
