// The error catalogue (src/error-codes.ts) is the list of codes clients can meet, and docs/api.md shows exactly it.
// The compiler refuses a code outside the catalogue wherever errors are made (errors.ts); these tests cover the rest:
// the documentation, answers written by hand (the native ping route), and entries nothing answers with any more.
// OVERDUE_UPDATE_DOCS=1 rewrites the table in docs/api.md from the catalogue.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodeTable } from '../../src/error-codes.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const apiDoc = path.join(root, 'docs/api.md');
const START = '<!-- error codes: generated from packages/server/src/error-codes.ts -->';
const END = '<!-- end of error codes -->';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
const source = sourceFiles(path.join(root, 'packages/server/src'))
  .filter((f) => !f.endsWith('error-codes.ts'))
  .map((f) => fs.readFileSync(f, 'utf8'))
  .join('\n');

describe('the error catalogue', () => {
  it('is the table of error codes in docs/api.md, each with its status and meaning', () => {
    const doc = fs.readFileSync(apiDoc, 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect(start, `docs/api.md has no "${START}" marker`).toBeGreaterThan(-1);
    const table = doc.slice(start + START.length, end).trim();
    if (process.env.OVERDUE_UPDATE_DOCS === '1' && table !== errorCodeTable()) {
      fs.writeFileSync(apiDoc, `${doc.slice(0, start + START.length)}\n${errorCodeTable()}\n${doc.slice(end)}`);
      return;
    }
    expect(table, 'run this test with OVERDUE_UPDATE_DOCS=1 to rewrite the table').toBe(errorCodeTable());
  });

  it('holds every code the native ping route writes by hand', () => {
    const written = [...source.matchAll(/answer\(reply, json, (\d+), '([a-z_]+)'/g)].map((m) => m[2]);
    expect(written.length).toBeGreaterThan(0);
    for (const code of written) expect(Object.keys(ERROR_CODES)).toContain(code);
  });

  it('holds no code that nothing answers with', () => {
    // Dialects name their not-found code after what they call a check: `${what}_not_found`.
    const nouns = [...source.matchAll(/export type CheckNoun = ([^;]+);/g)].flatMap((m) =>
      [...m[1].matchAll(/'([a-z]+)'/g)].map((n) => `${n[1]}_not_found`),
    );
    const unused = Object.keys(ERROR_CODES).filter((code) => !source.includes(`'${code}'`) && !nouns.includes(code));
    expect(unused).toEqual([]);
  });

  it('gives every code a client-error or server-error status and a meaning', () => {
    for (const [code, [status, meaning]] of Object.entries(ERROR_CODES)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(meaning.length, code).toBeGreaterThan(10);
    }
  });
});
