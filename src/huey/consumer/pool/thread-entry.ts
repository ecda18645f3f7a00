/**
 * Entry point of a worker thread (`-k thread`): runs the worker host with
 * the WorkerInit passed as workerData, and ends the thread with its exit
 * code. An uncaught error ends the thread too; the master sees it and
 * restarts the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runWorkerHost } from './host.js';
import { isToWorker, type WorkerInit } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('thread-entry.js runs only as a worker thread of huey-consumer');

const code = await runWorkerHost(workerData as WorkerInit, {
  send: (message) => port.postMessage(message),
  onStop: (fn) =>
    port.on('message', (m: unknown) => {
      if (isToWorker(m)) fn();
    }),
});
// In a worker thread this ends the thread only, whatever handles user code left open.
process.exit(code);
