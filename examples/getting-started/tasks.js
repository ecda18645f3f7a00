// tasks.js: the functions the consumer runs ("tasks.py" in the seed).
// Each huey.task() registers a function under a name; calling the returned
// wrapper enqueues a call and resolves to a TaskResult.
import { threadId } from 'node:worker_threads';
import { crontab } from 'huey-ts';
import { huey } from './config.js';

/** The seed's first task. */
export const countBeans = huey.task(
  (num) => {
    console.log(`-- counted ${num} beans --`);
    return `Counted ${num} beans`;
  },
  { name: 'count_beans' },
);

/** A step for pipelines: add.s(1, 2).then(add, 3) gives 3, then 6. */
export const add = huey.task((a, b) => a + b, { name: 'add' });

/**
 * A task that fails twice before it succeeds, retried up to twice, one
 * second apart. It learns how many retries are left from its last argument
 * (retriesAsArgument), so it behaves the same whichever worker runs it.
 */
export const flakyCount = huey.task(
  (num, retriesLeft) => {
    if (retriesLeft > 0) throw new Error(`bean counter jammed (${retriesLeft} retries left)`);
    return `Counted ${num} beans on the last try`;
  },
  { name: 'flaky_count', retries: 2, retryDelay: 1, retriesAsArgument: true },
);

/** Runs every minute, enqueued by the consumer itself (periodic tasks take no arguments). */
export const printTime = huey.periodicTask(
  crontab({ minute: '*' }),
  () => {
    console.log(`-- the time is ${new Date().toISOString()} --`);
  },
  { name: 'print_time' },
);

/**
 * CPU-bound work, to try the worker kinds: with -k thread or -k process and
 * -w 2 or more, several run at the same time on different cores.
 */
export const fibonacci = huey.task(
  (n) => {
    const fib = (k) => (k < 2 ? k : fib(k - 1) + fib(k - 2));
    return { n, value: fib(n), pid: process.pid, threadId };
  },
  { name: 'fibonacci' },
);
