// API keys: shown once, stored as SHA-256 hashes, found by a hash prefix and compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.js';
import { findApiKeyByLookup, insertApiKey } from '../store/workspaces.js';
import { newId, randomBase62 } from '../store/ids.js';
import { badRequest } from '../errors.js';

/** ping: send signals through keyed dialects; read: read everything; write: change everything (includes read and ping). */
export type Scope = 'ping' | 'read' | 'write';
export const SCOPES: Scope[] = ['ping', 'read', 'write'];

/** Accepts the scope spellings of the services we replace. */
export function parseScope(text: string): Scope {
  const normalized = text.trim().toLowerCase();
  if (normalized === 'heartbeat:write' || normalized === 'ping') return 'ping';
  if (normalized === 'read' || normalized === 'readonly' || normalized === 'read-only') return 'read';
  if (normalized === 'write' || normalized === 'admin') return 'write';
  throw badRequest('invalid_scope', `Unknown scope "${text}": use ping (alias heartbeat:write), read or write.`);
}

export function grants(held: Scope, needed: Scope): boolean {
  return held === 'write' || held === needed;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The indexed lookup value: a prefix of the hash, which says nothing usable about the key. */
function lookupOf(hash: Buffer): string {
  return hash.subarray(0, 12).toString('hex');
}

export interface VerifiedKey {
  id: string;
  workspaceId: string;
  scope: Scope;
}

export async function verifyApiKey(db: Db, presented: string): Promise<VerifiedKey | null> {
  if (!presented || presented.length > 512) return null;
  const hash = sha256(presented);
  const row = await findApiKeyByLookup(db, lookupOf(hash));
  if (!row || row.revoked_at != null) return null;
  const stored = Buffer.from(row.hash, 'hex');
  if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return null;
  return { id: row.id, workspaceId: row.workspace_id, scope: row.scope as Scope };
}

/** Creates a key and returns its secret: the only time anyone sees it. */
export async function createApiKey(
  db: Db,
  workspaceId: string,
  name: string,
  scope: Scope,
  now: number,
  secret?: string,
): Promise<{ id: string; key: string }> {
  const key = secret ?? `od_${randomBase62(40)}`;
  const hash = sha256(key);
  const id = newId();
  await insertApiKey(db, {
    id,
    workspace_id: workspaceId,
    name,
    lookup: lookupOf(hash),
    hash: hash.toString('hex'),
    scope,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  });
  return { id, key };
}
