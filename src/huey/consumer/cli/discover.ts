/**
 * Task discovery for huey-consumer (the seed's auto-discovery of tasks.py):
 * the command line (or the config's `module`/`tasks`) may name several
 * modules, directories and globs. A directory stands for every
 * tasks.js/.mjs/.cjs under it (node_modules and dot folders skipped); a glob
 * (`src/**\/tasks.js`) for the files it matches. All of them are imported,
 * and the Huey is the one their `huey` export (or `:export`) holds: one
 * instance, shared by every module that declares tasks on it.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DEFAULT_EXPORT, LoadError, importModule, isHuey, parseModuleSpec, resolveModuleFile, type ModuleSpec } from './load.js';

const TASK_FILES = new Set(['tasks.js', 'tasks.mjs', 'tasks.cjs']);
const TS_TASK_FILES = new Set(['tasks.ts', 'tasks.mts', 'tasks.cts']);
const GLOB_CHARS = /[*?[\]{}]/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every file under `dir` (sorted, depth first) for which `keep(relative path)` holds. */
function walk(dir: string, keep: (rel: string, name: string) => boolean, root = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, keep, root, out);
    else if (entry.isFile() && keep(relative(root, full).split(sep).join('/'), entry.name)) out.push(full);
  }
  return out;
}

/** A glob as a regular expression over '/'-separated relative paths: `**` any folders, `*` and `?` within one name. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** The files a glob matches, searched from its folder part that has no wildcard. */
function expandGlob(pattern: string, cwd: string): string[] {
  const parts = pattern.split('/');
  const firstWild = parts.findIndex((p) => GLOB_CHARS.test(p));
  const base = parts.slice(0, firstWild).join('/') || '.';
  const root = isAbsolute(pattern) ? base || '/' : resolve(cwd, base);
  if (!isDirectory(root)) return [];
  const re = globToRegExp(parts.slice(firstWild).join('/'));
  return walk(root, (rel) => re.test(rel));
}

/** What one command-line target stands for. */
function filesOf(target: string, cwd: string): string[] {
  if (GLOB_CHARS.test(target)) {
    const files = expandGlob(target, cwd);
    if (files.length === 0) throw new LoadError(`the pattern "${target}" matches no file`);
    return files.map((f) => resolveModuleFile(f, cwd));
  }
  const path = resolve(cwd, target);
  if (isDirectory(path)) {
    const files = walk(path, (_rel, name) => TASK_FILES.has(name));
    if (files.length === 0) {
      const ts = walk(path, (_rel, name) => TS_TASK_FILES.has(name));
      const hint = ts.length ? ` (only TypeScript: ${relative(cwd, ts[0] as string)}; compile it to JavaScript first)` : '';
      throw new LoadError(`found no tasks.js under "${target}"${hint}`);
    }
    return files;
  }
  return [resolveModuleFile(target, cwd)];
}

/**
 * Turns the targets into the spec loadHuey uses. One plain module stays as
 * it is (its errors name it as typed); otherwise every file is imported
 * here and the spec names the first that exports the Huey, with the others
 * to import before it (in worker threads and processes too). `hueyModule`
 * (the config's `module`, first among the targets) must be that module.
 */
export async function discover(targets: string[], cwd: string = process.cwd(), hueyModule: string | null = null): Promise<ModuleSpec> {
  if (targets.length === 0) throw new LoadError('no task module given: name one (or a folder, or a glob), or set "module"/"tasks" in huey.config.js');
  const specs = targets.map(parseModuleSpec);
  const exportName = specs.find((s) => s.exportName !== DEFAULT_EXPORT)?.exportName ?? DEFAULT_EXPORT;
  if (specs.length === 1 && !GLOB_CHARS.test(specs[0]!.path) && !isDirectory(resolve(cwd, specs[0]!.path))) return specs[0] as ModuleSpec;

  const files = [...new Set(specs.flatMap((s) => filesOf(s.path, cwd)))];
  const holders: string[] = [];
  let huey: unknown = null;
  for (const file of files) {
    const mod = await importModule(file, relative(cwd, file));
    const value = mod[exportName];
    if (!isHuey(value)) continue;
    if (huey !== null && value !== huey) {
      throw new LoadError(
        `"${relative(cwd, holders[0] as string)}" and "${relative(cwd, file)}" export different Huey instances as "${exportName}": ` +
          'declare every task on one huey (import it from one module)',
      );
    }
    huey = value;
    holders.push(file);
  }
  if (hueyModule !== null) {
    // It comes first among the targets, so it is the first holder if it holds the Huey at all.
    const wanted = resolveModuleFile(parseModuleSpec(hueyModule).path, cwd);
    if (holders[0] !== wanted) {
      const other = holders[0] === undefined ? '' : ` (${relative(cwd, holders[0])} does)`;
      throw new LoadError(`the config's "module" (${relative(cwd, wanted)}) does not export the Huey as "${exportName}"${other}: point "module" at the module that exports it`);
    }
  }
  if (holders.length === 0) {
    const shown = files.slice(0, 5).map((f) => relative(cwd, f));
    throw new LoadError(
      `none of the task modules exports a Huey as "${exportName}" (looked in ${shown.join(', ')}${files.length > 5 ? ', ...' : ''}); ` +
        'export it from one of them, or name its module too (e.g. app/huey.js, or "module" in huey.config.js)',
    );
  }
  const main = holders[0] as string;
  return { path: main, exportName, preload: files.filter((f) => f !== main) };
}
