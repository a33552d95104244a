// Change messages between instances: ids only, split so that every NOTIFY payload stays under PostgreSQL's limit.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessages } from '../../src/store/change-bus.js';

describe('change messages', () => {
  it('1,000 changed and 300 deleted checks travel in payloads under 8,000 bytes, and every id arrives once', () => {
    const changed = Array.from({ length: 1000 }, () => randomUUID());
    const deleted = Array.from({ length: 300 }, () => randomUUID());
    const payloads = encodeMessages([{ origin: 'instance-a', workspaceId: 'ws-1', changed, deleted }]);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const decoded = payloads.map((p) => decodeMessage(p)!);
    expect(decoded.every((m) => m.origin === 'instance-a' && m.workspaceId === 'ws-1')).toBe(true);
    expect(decoded.flatMap((m) => m.changed)).toEqual(changed);
    expect(decoded.flatMap((m) => m.deleted)).toEqual(deleted);
  });

  it('one message per workspace, and nothing for a workspace with nothing to say', () => {
    const payloads = encodeMessages([
      { origin: 'o', workspaceId: 'w1', changed: ['a'], deleted: [] },
      { origin: 'o', workspaceId: 'w2', changed: [], deleted: [] },
      { origin: 'o', workspaceId: 'w3', changed: [], deleted: ['b'] },
    ]);
    expect(payloads.map((p) => decodeMessage(p))).toEqual([
      { origin: 'o', workspaceId: 'w1', changed: ['a'], deleted: [] },
      { origin: 'o', workspaceId: 'w3', changed: [], deleted: ['b'] },
    ]);
  });

  it('a payload that is not one of ours is ignored, not thrown on', () => {
    for (const payload of ['', 'not json', '[]', '{"o":1}', '{"w":"x"}', 'null']) expect(decodeMessage(payload)).toBeNull();
    expect(decodeMessage('{"o":"a","w":"b","c":["x",2],"d":"y"}')).toEqual({ origin: 'a', workspaceId: 'b', changed: ['x'], deleted: [] });
  });
});
