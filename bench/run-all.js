// npm run bench: every benchmark in one run (server, client, huey), each side
// by side with its reference, then one summary file of all their results,
// bench/results/latest.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, writeResults } from './lib.js';

const benches = [
  ['server', 'server.js', []],
  ['server-aof', 'server.js', ['--appendonly']],
  ['client', 'client.js', []],
  ['huey', 'huey.js', []],
];

const summary = {};
let failed = 0;
for (const [name, script, args] of benches) {
  console.log(`\n=== ${name} ===\n`);
  const r = spawnSync(process.execPath, [join(root, 'bench', script), ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    summary[name] = { error: `exited with ${r.status}` };
    continue;
  }
  const file = join(root, 'bench/results', `${name}.json`);
  summary[name] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { error: 'no results file' };
}
writeResults('latest', { benches: summary });
process.exit(failed ? 1 : 0);
