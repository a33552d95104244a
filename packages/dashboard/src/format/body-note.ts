// The note over a signal's body in the signal log: its size, and whether the list shows only its start.

/** "Body (26 bytes)", or "Body (12,345 bytes; the first 1,000 characters shown)" when the API sent an excerpt. */
export function bodyNote(shown: string, sizeBytes: number): string {
  const shownBytes = new TextEncoder().encode(shown).length;
  const size = `${sizeBytes.toLocaleString('en-US')} byte${sizeBytes === 1 ? '' : 's'}`;
  return shownBytes < sizeBytes ? `Body (${size}; the first ${shown.length.toLocaleString('en-US')} characters shown)` : `Body (${size})`;
}
