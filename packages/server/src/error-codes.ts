// Every error code the server answers with ({error: {code, message}}, protocol.md §5), its usual HTTP status and what
// it means. Errors are made from these keys only (errors.ts), so a code missing here does not compile; docs/api.md's
// error table is this list (test/api/error-codes.test.ts keeps the two equal).

export const ERROR_CODES = {
  // Requests the server could not read
  bad_request: [400, 'The request is malformed (a bad header, a length that does not match the body).'],
  bad_url: [400, 'The URL could not be decoded.'],
  invalid_request: [400, 'A field of the body, query or URL does not match the API schema; the message names it.'],
  invalid_json: [400, 'The body is not valid JSON.'],
  invalid_field: [400, 'A field has a value the call cannot take; the message says which and what it accepts.'],
  invalid_header: [400, 'A header is too long or has a value the call cannot take.'],
  invalid_encoding: [400, 'The body is not in the encoding it claims.'],
  invalid_cursor: [400, 'A paging cursor is not one this API returned.'],
  invalid_range: [400, 'A time range is not two ISO 8601 times, the first before the second.'],
  invalid_schedule: [400, 'The schedule cannot be used (an unknown time zone, a cron expression that never fires, …).'],
  invalid_channel: [400, "A channel's settings are incomplete or wrong for its kind."],
  invalid_metadata: [400, "A signal's metadata is not a small JSON object."],
  invalid_scope: [400, 'An API key scope other than read, write or ping.'],
  invalid_password: [400, 'The password is longer than the limit.'],
  weak_password: [400, 'The password is too short.'],
  invalid_document: [400, 'A monitors-as-code file has problems (listed in error.problems); nothing was changed.'],
  invalid_check_in: [400, 'A Sentry check-in could not be read.'],
  invalid_envelope: [400, 'A Sentry envelope could not be read.'],
  invalid_monitor_config: [400, 'A Sentry monitor_config cannot be used.'],
  unknown_channel: [400, 'A check names a channel that is not in this workspace.'],
  unknown_channel_kind: [400, 'A channel kind this server does not know.'],
  unknown_check: [400, 'A request names a check that is not in this workspace.'],
  invalid_window: [400, "A maintenance window's settings cannot be used (its schedule, length, scope or times)."],
  invalid_snooze: [400, 'A snooze needs duration_s or until, ending in the future and within 30 days.'],
  unknown_dependency: [400, 'depends_on names something that is not a check of this workspace.'],
  dependency_cycle: [400, 'depends_on would close a cycle of dependencies; the message names it.'],
  unknown_preset: [400, 'A check preset this server does not know.'],
  secret_required: [400, 'Changing where a channel sends needs its secret given again.'],
  invitation_only: [400, "An invited member's name and password are chosen by them when they accept, not by the admin."],
  account_details_required: [400, 'Accepting an invitation without an account needs a name and a password.'],
  // Who is asking
  unauthorized: [401, 'No API key or session, or one this server does not know.'],
  session_expired: [401, 'The dashboard session ended; sign in again.'],
  invalid_credentials: [401, 'Wrong e-mail address or password.'],
  invalid_dsn_key: [401, "A Sentry DSN whose public key is no workspace's ping key."],
  missing_dsn_key: [401, 'A Sentry request without a DSN key.'],
  forbidden: [403, "The key's scope or the member's role does not allow this."],
  csrf_failed: [403, "A dashboard request without the session's CSRF token."],
  invalid_setup_key: [403, 'First-run setup needs an admin API key of this server.'],
  wrong_password: [403, 'The current password given is wrong.'],
  window_limit_reached: [403, 'The workspace holds as many maintenance windows as the server allows.'],
  check_limit_reached: [403, 'The workspace holds as many checks as the server allows.'],
  // What is asked for
  not_found: [404, 'No such route, or no such check for a ping.'],
  check_not_found: [404, 'No such check in this workspace.'],
  job_not_found: [404, 'No such Kodo job in this workspace.'],
  monitor_not_found: [404, 'No such monitor (Exemplar, Sentry) in this workspace.'],
  heartbeat_not_found: [404, 'No such Pinghome heartbeat in this workspace.'],
  ping_not_found: [404, 'No such ping of this check, or it has no body.'],
  window_not_found: [404, 'No such maintenance window in this workspace.'],
  channel_not_found: [404, 'No such channel in this workspace.'],
  incident_not_found: [404, 'No such incident in this workspace.'],
  notification_not_found: [404, 'No such notification in this workspace.'],
  service_not_found: [404, 'No such service in this workspace.'],
  key_not_found: [404, 'No such API key in this workspace.'],
  member_not_found: [404, 'No such member of this workspace.'],
  invitation_not_found: [404, 'No such pending invitation (accepted, revoked or never made).'],
  badge_not_found: [404, 'No such badge.'],
  status_page_not_found: [404, 'No such status page.'],
  not_built: [404, 'This installation has no packed SDK to serve.'],
  method_not_allowed: [405, 'The check accepts pings by other HTTP methods only.'],
  // Conflicts with what exists
  slug_taken: [409, 'Another check of this workspace has that slug.'],
  identifier_taken: [409, 'Another check already has that UUID or key.'],
  window_name_taken: [409, 'Another maintenance window of this workspace has that name.'],
  no_proposed_schedule: [409, 'The check proposes no learned schedule to accept or dismiss.'],
  push_token_taken: [409, 'Another check already has that Uptime Kuma push token.'],
  not_paused: [409, 'Only a paused check can be resumed.'],
  not_failed: [409, 'Only a failed notification can be retried.'],
  incident_resolved: [409, 'The incident is resolved already.'],
  last_admin: [409, 'The workspace would be left without an admin.'],
  already_member: [409, 'The address belongs to a member already.'],
  already_invited: [409, 'The address was invited by another request just now.'],
  account_exists: [409, 'The address has an account: sign in, then accept.'],
  setup_done: [409, 'First-run setup was done already.'],
  invitation_expired: [410, 'The invitation link has expired; ask for a new one.'],
  // Limits
  body_too_large: [413, 'The request body is larger than the limit.'],
  envelope_too_large: [413, 'A Sentry envelope is larger than the limit, compressed or not.'],
  unsupported_media_type: [415, "The body's Content-Type is not one this call reads."],
  unsupported_encoding: [415, 'A Content-Encoding this server does not decompress.'],
  rate_limited: [429, 'Too many requests; retry after Retry-After seconds.'],
  auto_create_limited: [429, 'Too many checks created by signals in this workspace this minute.'],
  too_many_attempts: [429, 'Too many failed sign-ins; wait before trying again.'],
  // The server
  internal: [500, 'A bug: the request was not applied.'],
  invitation_not_sent: [502, 'The invitation e-mail could not be sent; nothing was kept.'],
  unavailable: [503, 'The signal could not be stored just now; retry shortly.'],
  store_unavailable: [503, 'The store is locked, full or unreachable; nothing was applied, retry shortly.'],
} as const satisfies Record<string, readonly [number, string]>;

/** A code the server may answer with. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The usual HTTP status of a code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code][0];
}

/** docs/api.md's table of error codes, generated from the catalogue. */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, [status, meaning]]) => `| \`${code}\` | ${status} | ${meaning} |`);
  return ['| code | status | meaning |', '|---|---|---|', ...rows].join('\n');
}
