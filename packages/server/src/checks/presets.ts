// The defaults of the services Overdue replaces, for checks created the way those services create them.
import type { CheckInput } from './settings.js';
import { badRequest } from '../errors.js';
import { DAY_S, HOUR_S } from '../core/index.js';

export const PRESETS = {
  /** healthchecks.io: one day period, one hour grace (also what /ping/{key}/{slug}?create=1 uses). */
  healthchecks: { schedule: { kind: 'interval', period_s: DAY_S }, grace_s: HOUR_S },
  /** Hexcovery: a job first seen by name is expected daily, with an hour of grace, until someone says otherwise. */
  hexcovery: { schedule: { kind: 'interval', period_s: DAY_S }, grace_s: HOUR_S },
  /** Kodo heartbeats: alert after twice the interval, and only after 2 consecutive misses (severity stays minor). */
  kodo: { grace_multiplier: 2, failure_threshold: 2 },
} satisfies Record<string, CheckInput>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** `input` over the named preset's defaults: fields the caller gives win. */
export function withPreset(input: CheckInput, preset: string | undefined): CheckInput {
  if (preset == null) return input;
  if (!Object.hasOwn(PRESETS, preset))
    throw badRequest('unknown_preset', `Unknown preset "${preset}"; use one of ${PRESET_NAMES.join(', ')}.`);
  const defaults: CheckInput = { ...PRESETS[preset as PresetName] } as CheckInput;
  // A caller's own grace replaces the preset's grace in whichever form it comes.
  if (input.grace_s !== undefined || input.grace_multiplier !== undefined) {
    delete defaults.grace_s;
    delete defaults.grace_multiplier;
  }
  return { ...defaults, ...input };
}
