/**
 * Registering tsx for a TypeScript task module that Node cannot load by
 * itself. The tsx used is the one the process was started with (`node
 * --import tsx`, or tsx's own CLI, which passes its loader's path), else the
 * one installed for the app. In the main thread tsx is registered the way
 * `--import tsx` does it. A worker thread needs more: on Node versions
 * before worker threads share loader hooks, tsx registers itself in the main
 * thread only (even when `--import tsx` runs in the thread), so the thread
 * registers tsx's ESM hooks itself through tsx's `esm/api`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/** The `--import`/`--loader` values of this process's Node options. */
function loaderFlags(): string[] {
  const args = process.execArgv;
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = /^--(?:import|loader|experimental-loader)=(.+)$/.exec(arg);
    if (eq) values.push(eq[1] as string);
    else if (/^--(?:import|loader|experimental-loader)$/.test(arg) && i + 1 < args.length) values.push(args[++i] as string);
  }
  return values;
}

/** tsx's package.json, resolved from `from` (a file), or null when it is not installed there. */
function tsxPackageFrom(from: string): string | null {
  try {
    return createRequire(from).resolve('tsx/package.json');
  } catch {
    return null;
  }
}

/**
 * The package.json of the tsx to register: the one this process was started
 * with, else the one installed for `file`'s app; null when there is none.
 */
export function findTsx(file: string): string | null {
  for (const flag of loaderFlags()) {
    // tsx's CLI passes file:///.../node_modules/tsx/dist/loader.mjs.
    const path = flag.startsWith('file:') ? fileURLToPath(flag) : flag;
    const m = /^(.*[\\/]tsx)[\\/]dist[\\/][^\\/]+$/.exec(path);
    if (m) return join(m[1] as string, 'package.json');
    if (flag === 'tsx') {
      const found = tsxPackageFrom(join(process.cwd(), 'noop.js'));
      if (found) return found;
    }
  }
  return tsxPackageFrom(file);
}

/** The ESM entry of tsx's `esm/api`, as its package.json exports it (require.resolve would give the CommonJS one). */
function esmApiOf(pkg: string): string {
  const manifest = JSON.parse(readFileSync(pkg, 'utf8')) as { exports?: Record<string, unknown> };
  const entry = manifest.exports?.['./esm/api'] as { import?: string | { default?: string } } | undefined;
  const target = typeof entry?.import === 'string' ? entry.import : entry?.import?.default;
  if (typeof target !== 'string') throw new Error(`the tsx at ${dirname(pkg)} has no esm/api; install tsx 4 or later`);
  return join(dirname(pkg), target);
}

/** Registers the tsx whose package.json is `pkg` in this thread. */
export async function registerTsx(pkg: string): Promise<void> {
  if (isMainThread) {
    // What `--import tsx` runs: the ESM hooks and the require hook.
    await import(pathToFileURL(createRequire(pkg).resolve('tsx')).href);
    return;
  }
  const api = (await import(pathToFileURL(esmApiOf(pkg)).href)) as { register?: () => unknown };
  const register = api.register;
  if (typeof register !== 'function') throw new Error(`the tsx at ${dirname(pkg)} has no esm/api register(); install tsx 4 or later`);
  register();
}
