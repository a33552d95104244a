// Dependencies between checks (issue 16): while a parent is down, a child that goes down is folded into the
// parent's incident instead of paging on its own; edges never form a cycle. Pure: the caller reads the states.

/** A parent of a check as the fold decision needs it: its open incident, if it has one. */
export interface ParentState {
  check_id: string;
  name: string;
  /** The parent's open incident (published or draft); null when the parent is not down. */
  open_incident: { id: string; opened_at: number } | null;
}

/**
 * The incident a child's new down incident folds into: the open incident of a down parent (the one opened first,
 * ties broken by check id so every instance picks the same), or null when no parent is down and the child pages.
 */
export function foldTarget(parents: readonly ParentState[]): { incident_id: string; parent: ParentState } | null {
  let best: ParentState | null = null;
  for (const parent of parents) {
    if (!parent.open_incident) continue;
    if (
      !best ||
      parent.open_incident.opened_at < best.open_incident!.opened_at ||
      (parent.open_incident.opened_at === best.open_incident!.opened_at && parent.check_id < best.check_id)
    )
      best = parent;
  }
  return best ? { incident_id: best.open_incident!.id, parent: best } : null;
}

/**
 * The cycle that giving `child` the parents `parents` would close, as the list of check ids from `child` back to
 * itself (child, parent, …, child); null when there is none. `edges` maps each check to its current parents
 * (the child's own current edges are ignored: they are being replaced).
 */
export function cycleThrough(edges: ReadonlyMap<string, readonly string[]>, child: string, parents: readonly string[]): string[] | null {
  // Depth-first from each new parent along parent edges: reaching `child` again closes a cycle.
  const seen = new Set<string>();
  const path: string[] = [child];
  const visit = (node: string): boolean => {
    path.push(node);
    if (node === child) return true;
    if (!seen.has(node)) {
      seen.add(node);
      for (const next of edges.get(node) ?? []) if (visit(next)) return true;
    }
    path.pop();
    return false;
  };
  for (const parent of parents) if (visit(parent)) return path;
  return null;
}

/** The sentence of a cycle refused, with names: "a → b → a". */
export function describeCycle(cycle: readonly string[], nameOf: (id: string) => string): string {
  return cycle.map(nameOf).join(' → ');
}

/** What the parent's resolution alert adds about folded children still down (empty when none). */
export function stillDownSentence(children: readonly string[]): string {
  if (children.length === 0) return '';
  const names = children.map((n) => `"${n}"`);
  const list = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  return children.length === 1
    ? ` Still down: ${list}, which was folded into this incident and now alerts on its own.`
    : ` Still down: ${list}, which were folded into this incident and now alert on their own.`;
}
