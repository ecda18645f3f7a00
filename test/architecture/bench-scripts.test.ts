// The benchmark scripts are plain JavaScript that no other test runs: a merge
// that leaves one unparseable (two branches each declaring the same name) would
// otherwise be found only by the next person to run `npm run bench`.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BENCH = join(import.meta.dirname, '../../bench');
const scripts = readdirSync(BENCH).filter((f) => f.endsWith('.js'));

describe('bench scripts', () => {
  it('there are scripts to check', () => {
    expect(scripts).toContain('huey.js');
  });

  it.each(scripts)('%s parses (node --check)', (file) => {
    expect(() => execFileSync(process.execPath, ['--check', join(BENCH, file)], { stdio: 'pipe' })).not.toThrow();
  });
});
