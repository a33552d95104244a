// Large answers built a slice per event-loop turn: pings arriving meanwhile are answered between slices instead of
// waiting for a thousand rows to be read, shaped and serialised in one go (issue 12: no read stalls the watcher).
import type { FastifyReply } from 'fastify';
import { nextTurn } from '../next-turn.js';

/** Rows shaped or serialised per turn: small enough that a slice costs a few ms even on a loaded machine. */
export const ROWS_PER_TURN = 100;

/** `items.map(fn)`, a slice of `perTurn` items per event-loop turn. */
export async function mapInTurns<T, U>(items: readonly T[], fn: (item: T) => U, perTurn = ROWS_PER_TURN): Promise<U[]> {
  const out: U[] = [];
  for (let i = 0; i < items.length; i += perTurn) {
    if (i > 0) await nextTurn();
    for (const item of items.slice(i, i + perTurn)) out.push(fn(item));
  }
  return out;
}

/** Runs `read` over consecutive slices of `keys`, a turn apart, and concatenates what it returns. */
export async function readInTurns<K, R>(keys: readonly K[], read: (slice: K[]) => Promise<R[]>, perTurn = ROWS_PER_TURN): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += perTurn) {
    if (i > 0) await nextTurn();
    out.push(...(await read(keys.slice(i, i + perTurn))));
  }
  return out;
}

/**
 * Sends `{ [key]: items, ...fields }` as JSON, the items serialised a slice per turn. With the route's item schema,
 * each item keeps only the schema's top-level properties, as the route's response schema would; `null` for a route
 * without one. (Not the schema's compiled serialiser: compiling it on a first request is itself a long turn.)
 * `fields` must be small.
 */
export async function sendJsonList(
  reply: FastifyReply,
  itemSchema: { properties: Record<string, unknown> } | null,
  key: string,
  items: readonly unknown[],
  fields: Record<string, unknown> = {},
  perTurn = ROWS_PER_TURN,
): Promise<FastifyReply> {
  // A schema open to more fields (additionalProperties: true, as the check's) is sent whole, as fastify would.
  const open = (itemSchema as { additionalProperties?: unknown } | null)?.additionalProperties === true;
  const keys = itemSchema && !open ? Object.keys(itemSchema.properties) : null;
  const serialize = (item: unknown): string => {
    if (!keys) return JSON.stringify(item);
    const picked: Record<string, unknown> = {};
    for (const k of keys) if (k in (item as object)) picked[k] = (item as Record<string, unknown>)[k];
    return JSON.stringify(picked);
  };
  const parts: string[] = [];
  for (let i = 0; i < items.length; i += perTurn) {
    if (i > 0) await nextTurn();
    parts.push(
      items
        .slice(i, i + perTurn)
        .map(serialize)
        .join(','),
    );
  }
  await nextTurn();
  const rest = JSON.stringify(fields).slice(1, -1);
  const body = `{${JSON.stringify(key)}:[${parts.join(',')}]${rest ? `,${rest}` : ''}}`;
  return reply.type('application/json; charset=utf-8').send(body);
}
