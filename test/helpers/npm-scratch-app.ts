// A scratch app in a temp folder, as a new user makes one: `npm init -y`,
// `npm pkg set type=module`, `npm install huey-ts` (a link to this checkout)
// and, when asked, `npm install --save-dev tsx` (a link to this checkout's).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const made: string[] = [];

/** Makes the app (with an empty `app/` folder) and returns its folder. */
export function scratchApp(withTsx: boolean, prefix = 'huey-scratch-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', type: 'module' }, null, 2));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules/huey-ts'), 'dir');
  if (withTsx) symlinkSync(join(ROOT, 'node_modules/tsx'), join(dir, 'node_modules/tsx'), 'dir');
  mkdirSync(join(dir, 'app'));
  return dir;
}

/** Writes `files` (paths relative to `dir`) into the app. */
export function writeApp(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Removes every app made so far (test cleanup). */
export function removeScratchApps(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
