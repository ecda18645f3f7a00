/**
 * Entry point of a worker process (`-k process`): runs the worker host with
 * the WorkerInit passed as argv[2] (JSON). Ctrl+C and a closing terminal
 * signal the whole process group, so SIGINT and SIGHUP are left to the
 * master, which answers them with a stop message. SIGTERM and SIGKILL kill
 * the worker (the master restarts it); if the master itself goes away the
 * IPC channel closes and the worker exits rather than linger.
 */
import { runWorkerHost } from './host.js';
import { isToWorker, type WorkerInit } from './protocol.js';

if (!process.send) {
  console.error('process-entry.js runs only as a worker process of huey-consumer');
  process.exit(1);
}
const send = process.send.bind(process);
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.on('disconnect', () => process.exit(1));

const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
const code = await runWorkerHost(init, {
  send: (message) => {
    send(message);
  },
  onStop: (fn) =>
    process.on('message', (m: unknown) => {
      if (isToWorker(m)) fn();
    }),
});
process.exit(code);
