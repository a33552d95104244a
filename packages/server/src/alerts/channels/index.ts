// The registry of channel kinds, and what every kind shares: masking secrets in reads and scrubbing them from errors.
import type { ChannelKind } from './channel.js';
import { maskSecret } from './fields.js';
import { badRequest } from '../../errors.js';
import { webhook } from './webhook.js';
import { slack } from './slack.js';
import { discord } from './discord.js';
import { teams } from './teams.js';
import { telegram } from './telegram.js';
import { ntfy } from './ntfy.js';
import { pagerduty } from './pagerduty.js';
import { opsgenie } from './opsgenie.js';
import { pushover } from './pushover.js';
import { matrix } from './matrix.js';
import { email } from './email.js';

const kinds = new Map<string, ChannelKind>(
  [webhook, slack, discord, teams, telegram, ntfy, pagerduty, opsgenie, pushover, matrix, email].map((k) => [k.kind, k]),
);

export function channelKind(kind: string): ChannelKind | undefined {
  return kinds.get(kind);
}

export function channelKinds(): string[] {
  return [...kinds.keys()];
}

/** What reads show for each value of a secret map; sent back unchanged, it keeps the stored value. */
const MASKED_VALUE = '****';

const mapOf = (value: unknown) => (value ?? {}) as Record<string, unknown>;

/** Who reads a config: editors (write scope) see reader secrets such as a body template; viewers and read keys do not. */
export type ConfigAudience = 'editor' | 'reader';

/** The config as API reads show it: every secret masked, and every value of a secret map. */
export function publicConfigOf(
  kind: ChannelKind,
  config: Record<string, unknown>,
  audience: ConfigAudience = 'editor',
): Record<string, unknown> {
  const shown = { ...config };
  const masked = audience === 'reader' ? [...kind.secrets, ...(kind.readerSecrets ?? [])] : kind.secrets;
  for (const field of masked) if (shown[field] != null) shown[field] = maskSecret(shown[field]);
  for (const field of kind.secretMaps ?? [])
    shown[field] = Object.fromEntries(Object.keys(mapOf(config[field])).map((name) => [name, MASKED_VALUE]));
  return shown;
}

/**
 * A config change from the API laid over the stored config. Fields left out keep their value, and a secret sent
 * back exactly as a read showed it (masked) keeps the stored secret, so read-modify-write never destroys one.
 */
export function mergeConfig(kind: ChannelKind, stored: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...stored, ...change };
  const shown = publicConfigOf(kind, stored);
  for (const field of kind.secrets) {
    if (field in change && JSON.stringify(change[field]) === JSON.stringify(shown[field])) merged[field] = stored[field];
  }
  for (const field of kind.secretMaps ?? []) {
    if (!change[field] || typeof change[field] !== 'object') continue;
    const storedMap = mapOf(stored[field]);
    merged[field] = Object.fromEntries(
      Object.entries(mapOf(change[field])).map(([k, v]) => [k, v === MASKED_VALUE && storedMap[k] != null ? storedMap[k] : v]),
    );
  }
  return merged;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The secrets a parsed config would carry over from the stored one without the change naming them anew. */
function carriedSecrets(
  kind: ChannelKind,
  stored: Record<string, unknown>,
  change: Record<string, unknown>,
  parsed: Record<string, unknown>,
): string[] {
  const shown = publicConfigOf(kind, stored);
  const carried: string[] = [];
  for (const field of kind.secrets) {
    if (kind.destination.includes(field) || parsed[field] == null || !same(parsed[field], stored[field])) continue;
    const suppliedAnew = field in change && !same(change[field], shown[field]);
    if (!suppliedAnew) carried.push(field);
  }
  for (const field of kind.secretMaps ?? []) {
    const storedMap = mapOf(stored[field]);
    const changeMap = change[field] && typeof change[field] === 'object' ? mapOf(change[field]) : {};
    for (const [name, value] of Object.entries(mapOf(parsed[field]))) {
      const suppliedAnew = typeof changeMap[name] === 'string' && changeMap[name] !== MASKED_VALUE;
      if (storedMap[name] === value && !suppliedAnew) carried.push(`${field}.${name}`);
    }
  }
  return carried;
}

/**
 * A config change from the API applied to the stored config and validated (parseConfig). When it changes where the
 * channel sends (its destination fields), no stored secret may travel along: each must be sent anew or cleared, or
 * the change is refused with 400 secret_required naming them. Otherwise anyone who may edit a channel could point it
 * at their own server and receive the secrets an admin entered.
 */
export function changedConfig(
  kind: ChannelKind,
  stored: Record<string, unknown>,
  change: Record<string, unknown>,
): Record<string, unknown> {
  const parsed = kind.parseConfig(mergeConfig(kind, stored, change));
  const moved = kind.destination.filter((field) => !same(parsed[field], stored[field]));
  if (moved.length === 0) return parsed;
  const carried = carriedSecrets(kind, stored, change, parsed);
  if (carried.length) {
    throw badRequest(
      'secret_required',
      `Changing where this ${kind.kind} channel sends (${moved.map((f) => `config.${f}`).join(', ')}) needs its secrets again: ` +
        `send ${carried.map((f) => `config.${f}`).join(', ')} anew in the same request (or clear them). Stored secrets never go to a new destination.`,
    );
  }
  return parsed;
}

/** Every secret value of a config (and its URL-encoded form), longest first, for scrubbing. */
export function secretValues(kind: ChannelKind, config: Record<string, unknown>): string[] {
  const values = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'string' || v.length < 4) return;
    values.add(v);
    values.add(encodeURIComponent(v));
  };
  for (const field of kind.secrets) add(config[field]);
  for (const field of kind.secretMaps ?? []) for (const v of Object.values(mapOf(config[field]))) add(v);
  return [...values].sort((a, b) => b.length - a.length);
}

/** Replaces every secret in a text (an error message, a receiver's answer) with "****" before it is stored or logged. */
export function scrubSecrets(text: string | null, secrets: string[]): string | null {
  if (text == null) return null;
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('****');
  return out;
}
