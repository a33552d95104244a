// A workspace's alerting settings (stored in workspaces.settings JSON): draft mode and batching.
import { badRequest } from '../errors.js';
import { HOUR_S } from '../core/index.js';

export interface AlertSettings {
  /** Incidents are recorded and visible, but nothing is sent until a person publishes them. */
  draft_mode: boolean;
  /** Many notifications for one channel within a window go out as one digest. */
  batching: boolean;
  /** How long a storm's digest gathers after the previous digest to the same channel. */
  batch_window_s: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { draft_mode: false, batching: false, batch_window_s: 30 };

/** A workspace's settings JSON as an object; a damaged blob reads as empty (defaults) rather than stopping alerts. */
function parseSettings(settingsJson: string): Record<string, unknown> {
  try {
    return JSON.parse(settingsJson) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The alert settings inside a workspace's settings JSON, with defaults for what is unset. */
export function alertSettingsOf(settingsJson: string): AlertSettings {
  const stored = parseSettings(settingsJson);
  return {
    draft_mode: typeof stored.draft_mode === 'boolean' ? stored.draft_mode : DEFAULT_ALERT_SETTINGS.draft_mode,
    batching: typeof stored.batching === 'boolean' ? stored.batching : DEFAULT_ALERT_SETTINGS.batching,
    batch_window_s: typeof stored.batch_window_s === 'number' ? stored.batch_window_s : DEFAULT_ALERT_SETTINGS.batch_window_s,
  };
}

/** Validates a change and returns the whole settings JSON with it applied (other keys kept). */
export function withAlertSettings(settingsJson: string, change: Partial<AlertSettings>): string {
  if (
    change.batch_window_s != null &&
    (!Number.isInteger(change.batch_window_s) || change.batch_window_s < 1 || change.batch_window_s > HOUR_S)
  ) {
    throw badRequest('invalid_field', `batch_window_s must be a whole number of seconds from 1 to 3600; got ${change.batch_window_s}.`);
  }
  const stored = parseSettings(settingsJson);
  for (const [key, value] of Object.entries(change)) if (value !== undefined) stored[key] = value;
  return JSON.stringify(stored);
}
