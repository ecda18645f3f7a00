// run.js: the whole getting-started example in one process (`npm start`).
// It starts simpledb on a free port, a consumer with two workers, enqueues
// each kind of task (immediate, scheduled, retried, pipeline, periodic,
// CPU-bound), prints every result and every consumer event as it happens,
// then shuts everything down and exits 0. Any failure exits 1.
import { startServer } from 'huey-ts/server';

const TIMEOUT = 20; // seconds to wait for any one result

const server = await startServer({ host: '127.0.0.1', port: 0 });
process.env.HUEY_URL = `redis://127.0.0.1:${server.port}`;
console.log(`simpledb (embedded) listening on 127.0.0.1:${server.port}`);

// Imported only now, so that config.js sees HUEY_URL.
const { huey, countBeans, add, flakyCount, printTime, fibonacci } = await import('./main.js');
const { silentLogger } = await import('huey-ts');
// The events below tell the story; the consumer's own log would repeat it.
huey.logger = silentLogger;

// --- events, printed as they arrive ------------------------------------------------
const finished = new Map(); // task id -> resolve(), for tasks whose end we wait for
const finishedIds = new Set(); // in case a task finishes before we start waiting
const events = huey.events();
await events.ready;
const printing = (async () => {
  for await (const e of events) {
    const who = e.task ? `${e.task} ${String(e.id).slice(0, 8)}` : '';
    const extra = [];
    if (typeof e.duration === 'number') extra.push(`${e.duration.toFixed(3)}s`);
    if (e.status === 'retrying') extra.push(`${e.retries} retries left`);
    if (e.error && e.traceback) extra.push(e.traceback.split('\n')[0]);
    console.log(`  event: ${e.status.padEnd(19)} ${who}${extra.length ? ` (${extra.join(', ')})` : ''}`);
    if (e.status === 'finished') {
      finishedIds.add(e.id);
      finished.get(e.id)?.();
    }
  }
})();
/** Resolves when the task's `finished` event arrives; rejects after TIMEOUT seconds. */
function finishedEvent(id) {
  if (finishedIds.has(id)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`task ${id} did not finish within ${TIMEOUT}s`)), TIMEOUT * 1000);
    finished.set(id, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// --- the consumer ------------------------------------------------------------------
const consumer = huey.createConsumer({ workers: 2, workerType: 'async' });
await consumer.start();
console.log('consumer started: 2 async workers, scheduler every second');

async function show(label, result) {
  // Wait for the task to finish first: a task that is being retried has its
  // last error in the result store until a retry succeeds.
  await finishedEvent(result.id);
  const value = await result.get({ blocking: true, timeout: TIMEOUT });
  console.log(`result: ${label} -> ${JSON.stringify(value)}`);
  return value;
}

let ok = false;
try {
  console.log('\n1. count_beans(100): enqueue a call, read its result');
  await show('count_beans(100)', await countBeans(100));

  console.log('\n2. count_beans.schedule({ args: [200], delay: 2 }): runs two seconds from now');
  await show('count_beans(200), scheduled', await countBeans.schedule({ args: [200], delay: 2 }));

  console.log('\n3. flaky_count(300): fails twice, retried after 1 second each time');
  await show('flaky_count(300)', await flakyCount(300));

  console.log('\n4. pipeline add.s(1, 2).then(add, 3).then(add, 4): each result feeds the next call');
  const steps = await huey.enqueue(add.s(1, 2).then(add, 3).then(add, 4));
  await finishedEvent(steps[steps.length - 1].id);
  const values = [];
  for (const step of steps) values.push(await step.get({ blocking: true, timeout: TIMEOUT }));
  console.log(`result: pipeline -> ${JSON.stringify(values)}`);

  console.log('\n5. print_time: periodic (crontab minute="*"); the consumer enqueues it every minute.');
  console.log('   Enqueued once by hand here, so we need not wait for the minute to turn:');
  const tick = await printTime();
  await finishedEvent(tick.id);
  console.log('result: print_time ran (periodic tasks store no result)');

  console.log('\n6. fibonacci(25): CPU-bound; try it with huey-consumer -k thread or -k process');
  await show('fibonacci(25)', await fibonacci(25));
  ok = true;
} catch (err) {
  console.error(`\nexample failed: ${err instanceof Error ? err.stack : String(err)}`);
}

console.log('\nstopping the consumer (running tasks finish first)...');
await consumer.stop();
await events.close();
await printing;
await huey.close();
await server.close();
console.log(ok ? 'done.' : 'done, with errors.');
process.exit(ok ? 0 : 1);
