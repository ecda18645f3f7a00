/**
 * Naming the user's huey: `<path>[:export]` (the export defaults to `huey`),
 * the file a path stands for, and LoadError, the one-line error of
 * everything that can go wrong finding it. A leaf: the pool master and the
 * API's thread/process consumer use it without importing the Huey class.
 */
import { statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';

/** The module or its export could not be used. Exit code 2. */
export class LoadError extends Error {
  override name = 'LoadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `<path>[:export]`, split. */
export interface ModuleSpec {
  /** The path as typed. */
  path: string;
  exportName: string;
  /** Task modules imported before `path`, so their tasks are registered (discover.ts finds them); absolute paths. */
  preload?: string[];
}

/** The default export name, as the seed's `main.huey`. */
export const DEFAULT_EXPORT = 'huey';

/**
 * Splits `path[:export]`. The last colon separates the export only when what
 * follows is an identifier, so Windows drive letters (`C:\app\main.js`) stay paths.
 */
export function parseModuleSpec(spec: string): ModuleSpec {
  const m = /^(.+):([A-Za-z_$][\w$]*)$/.exec(spec);
  if (m && !/^[A-Za-z]$/.test(m[1] as string)) return { path: m[1] as string, exportName: m[2] as string };
  return { path: spec, exportName: DEFAULT_EXPORT };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A TypeScript file name. */
export const TYPESCRIPT = /\.(c|m)?tsx?$/;

/**
 * The absolute file a module path names; tries `.js`/`.mjs`/`.cjs`, `.ts` and
 * `index.js` when the path has no extension.
 */
export function resolveModuleFile(path: string, cwd: string = process.cwd()): string {
  const base = isAbsolute(path) ? path : resolve(cwd, path);
  const candidates = extname(base) === '' ? [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}.ts`, resolve(base, 'index.js')] : [base];
  const found = candidates.find(isFile);
  if (found) return found;
  const ts = base.replace(/\.(c|m)?js$/, '.$1ts');
  if (ts !== base && isFile(ts)) throw new LoadError(`cannot find module "${path}": there is only ${ts}; pass that file (TypeScript runs with tsx) or compile it to JavaScript`);
  throw new LoadError(`cannot find module "${path}" (looked for ${base})`);
}
