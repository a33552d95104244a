// The dependency rule of the server's source (architecture.md): no two files import each other, directly or through
// others, and the pure core imports nothing outside core/. A piece two files share moves down into a module of its own
// (store/db.ts, rate-limiter.ts) rather than one of them importing the other back.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The src files a file imports or re-exports from (type-only imports too: a type that points back up is a cycle of ideas). */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  return source.statements.flatMap((statement) => {
    const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return [];
    return [resolve(dirname(file), specifier.text.replace(/\.js$/, '.ts'))];
  });
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

/** Every cycle, as the list of files around it (Tarjan's strongly connected components of more than one file). */
function cycles(): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(name(member));
      } while (member !== file);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

describe('the server source import graph', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(join(SRC, 'app.ts'))).toContain(join(SRC, 'api/checks-routes.ts'));
  });

  it('has no cycle: no file imports, directly or through others, a file that imports it', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps the core pure: files in core/ import only from core/', () => {
    const core = join(SRC, 'core');
    const outside = files
      .filter((file) => file.startsWith(core + '/'))
      .flatMap((file) =>
        (graph.get(file) ?? []).filter((target) => !target.startsWith(core + '/')).map((target) => `${name(file)} → ${name(target)}`),
      );
    expect(outside).toEqual([]);
  });
});
