/**
 * Which module created each huey: the first file on the constructor's call
 * stack outside this package. Thread and process workers of
 * `huey.createConsumer()` import that module by default to find the huey
 * and its tasks, as huey-consumer imports the module it is given.
 */
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = dirname(fileURLToPath(import.meta.url)) + sep;
const origins = new WeakMap<object, string>();
// `at new Huey (file:///app/x.js:1:2)`, `at file:///app/x.js?q:1:2`, `at Object.<anonymous> (/app/x.cjs:1:2)`.
const FRAME = /(?:\(|at )((?:file:\/\/|\/|[A-Za-z]:[\\/])[^()]*?):\d+:\d+\)?$/;

/** The files on the current call stack, innermost first. */
function stackFiles(): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const files: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    const where = m[1] as string;
    try {
      files.push(where.startsWith('file:') ? fileURLToPath(where.replace(/\?.*$/, '')) : where);
    } catch {
      // Not a path after all.
    }
  }
  return files;
}

/** Remembers the module creating `huey` (call from its constructor). */
export function recordOrigin(huey: object): void {
  const file = stackFiles().find((f) => !f.startsWith(PACKAGE_DIR));
  if (file !== undefined) origins.set(huey, file);
}

/** The file of the module that created `huey`, when known. */
export function originOf(huey: object): string | null {
  return origins.get(huey) ?? null;
}
