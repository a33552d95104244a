// Passwords: scrypt with a random salt per user, compared in constant time. Stored as "scrypt$N$r$p$salt$hash".
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { badRequest } from '../errors.js';

// OWASP's scrypt setting for 16 MiB of memory per hash (N=2^14, r=8, p=5): as costly to guess as N=2^17, p=1, at an
// eighth of the memory, so a burst of sign-ins cannot exhaust a small server. Hashes carry their own parameters:
// older ones (p=1) still verify, and are replaced at the owner's next sign-in (needsRehash).
const N = 16384;
const R = 8;
const P = 5;
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Throws a 400 a person can act on when a new password is too weak to accept. */
export function checkNewPassword(password: string): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest('weak_password', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    throw badRequest('invalid_password', `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// Checked against when the account does not exist, so a wrong address costs as long as a wrong password.
const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/** Whether `stored` was made with weaker parameters than new hashes get (then hash the password again). */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) < N || Number(r) < R || Number(p) < P;
}

/** True when `password` matches `stored`; a missing account (stored null) still spends the same work. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = (stored ?? DUMMY_HASH).split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(String(password).slice(0, MAX_PASSWORD_LENGTH), Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return stored != null && actual.length === expected.length && timingSafeEqual(actual, expected);
}
