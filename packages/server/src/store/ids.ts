// Identifiers: UUIDs for rows, short unguessable base62 strings for keys people paste into URLs.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random base62 string; rejection sampling keeps every character equally likely. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export const newId = (): string => randomUUID();

/**
 * A UUID version 7: the millisecond time first, then randomness. Rows keyed by it are inserted at the end of
 * their indexes (runs, the signals that point at runs, incidents) instead of at random places.
 */
export function newTimeOrderedId(now: number): string {
  // randomUUID draws from a cached entropy pool (randomBytes(16) does not): overwrite its first 48 bits with the time.
  const random = randomUUID();
  return `${timeOrderedIdPrefix(now)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/** The time part of a time-ordered id ("xxxxxxxx-xxxx"): ids made at or after `at` sort at or above it. */
export function timeOrderedIdPrefix(at: number): string {
  const time = Math.max(0, at).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}`;
}
/** A check's 8-character job key (CronBeats style). */
export const newCheckKey = (): string => randomBase62(8);
/** A workspace's 22-character ping key, for /ping/{ping_key}/{slug}. */
export const newPingKey = (): string => randomBase62(22);

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CHECK_KEY_PATTERN = /^[0-9A-Za-z]{8}$/;
export const PING_KEY_PATTERN = /^[0-9A-Za-z]{22}$/;

/**
 * A check's read id: what the read scope (viewers, read keys) sees instead of its UUID, which would let them ping.
 * 40 hex digits like healthchecks.io's unique_key (so its v3 API shows it as that); derived from the whole UUID by
 * SHA-256, so it is stable, distinct per check and cannot be turned back into the UUID.
 */
export function readIdOf(checkId: string): string {
  return createHash('sha256').update(`overdue-read-id:${checkId.toLowerCase()}`).digest('hex').slice(0, 40);
}
export const READ_ID_PATTERN = /^[0-9a-f]{40}$/;
