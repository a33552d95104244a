// Dependencies between checks, the pure part: which incident a child's down folds into, and cycle refusal.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cycleThrough, foldTarget, stillDownSentence, type ParentState } from '../../src/core/dependencies.js';

const up = (id: string): ParentState => ({ check_id: id, name: id, open_incident: null });
const down = (id: string, opened_at: number): ParentState => ({ check_id: id, name: id, open_incident: { id: `inc-${id}`, opened_at } });

describe('folding a child that goes down', () => {
  it('pages on its own when it has no parents, or when every parent is up', () => {
    expect(foldTarget([])).toBeNull();
    expect(foldTarget([up('db1'), up('net')])).toBeNull();
  });

  it('folds into the incident of a parent that is down', () => {
    expect(foldTarget([up('net'), down('db1', 100)])?.incident_id).toBe('inc-db1');
  });

  it('folds into the parent incident opened first when several parents are down, whatever their order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 50 })), { maxLength: 8 }), (spec) => {
        const parents = spec.map(([isDown, at], i) => (isDown ? down(`p${i}`, at) : up(`p${i}`)));
        const target = foldTarget(parents);
        const downs = parents.filter((p) => p.open_incident);
        if (downs.length === 0) return target === null;
        const earliest = Math.min(...downs.map((p) => p.open_incident!.opened_at));
        return (
          target !== null &&
          target.parent.open_incident!.opened_at === earliest &&
          foldTarget([...parents].reverse())?.incident_id === target.incident_id
        );
      }),
    );
  });
});

describe('cycles', () => {
  it('refuses a check depending on itself', () => {
    expect(cycleThrough(new Map(), 'a', ['a'])).toEqual(['a', 'a']);
  });

  it('names the cycle a new edge would close: a → b → c → a', () => {
    const edges = new Map([
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(cycleThrough(edges, 'a', ['b'])).toEqual(['a', 'b', 'c', 'a']);
  });

  it('accepts shared parents (a diamond is not a cycle)', () => {
    const edges = new Map([
      ['b', ['d']],
      ['c', ['d']],
    ]);
    expect(cycleThrough(edges, 'a', ['b', 'c'])).toBeNull();
  });

  it('finds a cycle exactly when the child is reachable from one of its new parents', () => {
    // Random graphs over 6 nodes: the answer agrees with plain reachability, and a cycle found is a real path.
    const node = fc.integer({ min: 0, max: 5 }).map((n) => `n${n}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(node, node), { maxLength: 15 }), node, fc.array(node, { maxLength: 3 }), (pairs, child, parents) => {
        const edges = new Map<string, string[]>();
        for (const [from, to] of pairs) if (from !== child) edges.set(from, [...(edges.get(from) ?? []), to]);
        const reach = new Set<string>();
        const stack = [...parents];
        while (stack.length) {
          const n = stack.pop()!;
          if (reach.has(n)) continue;
          reach.add(n);
          stack.push(...(edges.get(n) ?? []));
        }
        const cycle = cycleThrough(edges, child, parents);
        if (!reach.has(child)) return cycle === null;
        if (!cycle || cycle[0] !== child || cycle[cycle.length - 1] !== child || !parents.includes(cycle[1])) return false;
        for (let i = 1; i < cycle.length - 1; i += 1) if (!(edges.get(cycle[i]) ?? []).includes(cycle[i + 1])) return false;
        return true;
      }),
    );
  });
});

describe('the parent resolution sentence', () => {
  it('is empty without children still down, and names them otherwise', () => {
    expect(stillDownSentence([])).toBe('');
    expect(stillDownSentence(['backup on db1'])).toContain(
      'Still down: "backup on db1", which was folded into this incident and now alerts on its own.',
    );
  });
});
