// Types for worst-reads.mjs, which a TypeScript test imports.
export function worstReads(checks: {
  minutely: { id: string };
  chatty: { id: string };
  flappy: { id: string };
}): Array<[string, () => string]>;
