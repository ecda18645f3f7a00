// npm run test:stress: the test suite on a deliberately busy machine, as CI's
// shared two-core runners can be. Starts one CPU-bound process per core (or
// --burners N), runs `vitest run` with the remaining arguments, stops the
// burners and exits with the suite's status. A test that passes here does not
// depend on being scheduled promptly.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
let burners = availableParallelism();
const at = args.indexOf('--burners');
if (at >= 0) {
  burners = Number(args[at + 1]);
  if (!Number.isInteger(burners) || burners < 0) {
    console.error(`--burners needs a whole number, got ${args[at + 1]}`);
    process.exit(2);
  }
  args.splice(at, 2);
}

const children = Array.from({ length: burners }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};
// The burners must not outlive this script, however it ends.
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}

console.log(`test:stress: ${burners} CPU burner(s) running beside the suite`);
const pkg = createRequire(import.meta.url).resolve('vitest/package.json');
const vitest = join(dirname(pkg), 'vitest.mjs');
const suite = spawn(process.execPath, [vitest, 'run', ...args], { stdio: 'inherit' });
suite.on('exit', (code, signal) => {
  stopBurners();
  process.exit(code ?? (signal ? 1 : 0));
});
