/**
 * Finding the user's huey: `<path>[:export]` names a JavaScript module
 * (relative to the current directory) and the export holding the Huey
 * instance (default `huey`). A TypeScript module is imported through the
 * loader the process already has (`node --import tsx`), or else through tsx
 * registered by typescript.ts, in worker threads too. Everything that can go wrong becomes a
 * LoadError whose message is one line naming the path or export; the
 * original error rides along as `cause` for -v.
 */
import { pathToFileURL } from 'node:url';
import type { Huey } from '../../api.js';
import { LoadError, TYPESCRIPT, resolveModuleFile, type ModuleSpec } from './module-spec.js';
import { findTsx, registerTsx } from './typescript.js';

export { DEFAULT_EXPORT, LoadError, parseModuleSpec, resolveModuleFile, type ModuleSpec } from './module-spec.js';

/** Whether `value` looks like a Huey (duck-typed, so a huey from another copy of this package passes too). */
export function isHuey(value: unknown): value is Huey<boolean> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof Huey<boolean>, unknown>>;
  return (
    typeof v.createConsumer === 'function' &&
    typeof v.getTasks === 'function' &&
    typeof v.storage === 'object' &&
    v.storage !== null &&
    typeof v.registry === 'object'
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return text.split('\n')[0] as string;
}

/**
 * Imports `file`. A TypeScript file that Node cannot load by itself (no
 * loader registered in this thread) is retried after registering tsx
 * (typescript.ts: the one the process started with, or the app's).
 */
async function importWithTsx(file: string, path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if (!TYPESCRIPT.test(file) || (err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  }
  const tsx = findTsx(file);
  if (tsx === null) {
    throw new LoadError(
      `cannot load "${path}": it is TypeScript, which Node cannot run by itself. Install tsx in your app ` +
        `(npm install --save-dev tsx) and run this again, or start the consumer with a loader ` +
        `(node --import tsx ./node_modules/.bin/huey-consumer ${path}), or compile it to JavaScript and pass the .js file`,
    );
  }
  await registerTsx(tsx);
  // Node keeps the failed first import of this URL; a query makes it a new one (only this entry module is affected).
  return (await import(`${url}?with-tsx`)) as Record<string, unknown>;
}

/** Imports `file` (named `shown` in errors), turning a failure into a one-line LoadError. */
export async function importModule(file: string, shown: string): Promise<Record<string, unknown>> {
  try {
    return await importWithTsx(file, shown);
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw new LoadError(`error importing "${shown}": ${firstLine(err)}`, { cause: err });
  }
}

/**
 * Imports the module (after `spec.preload`) and returns its Huey export.
 * @example const huey = await loadHuey(parseModuleSpec('app/main.js:huey'));
 */
export async function loadHuey(spec: ModuleSpec, cwd: string = process.cwd()): Promise<Huey<boolean>> {
  const file = resolveModuleFile(spec.path, cwd);
  for (const extra of spec.preload ?? []) await importModule(extra, extra);
  const mod = await importModule(file, spec.path);
  if (!(spec.exportName in mod)) {
    const names = Object.keys(mod);
    const has = names.length ? `it exports: ${names.join(', ')}` : 'it exports nothing';
    throw new LoadError(`module "${spec.path}" has no export named "${spec.exportName}" (${has})`);
  }
  const huey = mod[spec.exportName];
  if (!isHuey(huey)) {
    const got = huey === null ? 'null' : typeof huey === 'object' ? (huey.constructor?.name ?? 'object') : typeof huey;
    throw new LoadError(`export "${spec.exportName}" of "${spec.path}" is not a Huey instance (it is ${got})`);
  }
  if (huey.alwaysEager) {
    throw new LoadError(`the huey exported as "${spec.exportName}" by "${spec.path}" has alwaysEager set; a consumer cannot run it`);
  }
  return huey;
}
