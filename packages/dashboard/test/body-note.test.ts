// The signal log's note over a body says "first characters shown" only when the body was cut.
import { describe, expect, it } from 'vitest';
import { bodyNote } from '../src/format/body-note';

describe("the note over a signal's body", () => {
  it('gives only the size of a body shown whole', () => {
    expect(bodyNote('backup done: 1.2 GB copied', 26)).toBe('Body (26 bytes)');
  });

  it('counts bytes, so a short body with non-ASCII characters is not called cut', () => {
    expect(bodyNote('Sicherung für Köln ✓', 24)).toBe('Body (24 bytes)');
  });

  it('says how much is shown when the API sent only the start', () => {
    expect(bodyNote('x'.repeat(1000), 12_345)).toBe('Body (12,345 bytes; the first 1,000 characters shown)');
  });
});
