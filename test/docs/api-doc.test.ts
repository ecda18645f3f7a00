// docs/api.md stays true: every export of the package root (values and
// types, as the TypeScript compiler sees src/huey/index.ts) is named in it
// in a code span (`Name`, `crontab(CrontabSpec)`). Adding an export without documenting it fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** The names the package root exports, types included. */
function rootExports(): string[] {
  const entry = join(ROOT, 'src/huey/index.ts');
  // Only the export lists are needed: no lib or @types files, which keeps this fast.
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    noLib: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error('cannot read the exports of src/huey/index.ts');
  return checker.getExportsOfModule(symbol).map((s) => s.getName()).sort();
}

describe('docs/api.md', () => {
  it('names every export of the package root', { timeout: 120_000 }, () => {
    const doc = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const names = rootExports();
    expect(names.length).toBeGreaterThan(50);
    // Named in code: a whole word inside some `code span`.
    const code = [...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).join('\n');
    const missing = names.filter((n) => !new RegExp(`(?<![\\w$])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(code));
    expect(missing, `exports not in docs/api.md: ${missing.join(', ')}`).toEqual([]);
  });
});
