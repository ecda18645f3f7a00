/**
 * The master's handle on one worker, whichever kind: a worker thread or a
 * child process, each running host.ts. The master only needs to know when
 * it is ready, ask it to stop, kill it, and learn how it ended.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker as Thread } from 'node:worker_threads';
import { isFromWorker, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';

/** How a worker ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The uncaught error that ended a thread, when there was one. */
  error?: unknown;
}

/** One running worker. */
export interface WorkerHandle {
  /** `thread 4` or `pid 1234`, for logs. */
  readonly label: string;
  readonly pid: number;
  readonly threadId: number | null;
  /** Resolves once the worker has loaded the module and is taking tasks. */
  readonly ready: Promise<void>;
  /** Resolves when the worker has exited, however that happened. */
  readonly exited: Promise<WorkerExit>;
  /** Whether it has exited. */
  readonly dead: boolean;
  /** Asks for a graceful stop (the running task finishes). */
  stop(): void;
  /** Ends it now. */
  kill(): void;
  /** Calls `fn` with each message of the worker (`ready` included; `ready` above resolves as well). */
  onMessage(fn: (m: FromWorker) => void): void;
}

/** Describes an exit for a log line: `exit code 1`, `killed by SIGKILL`, `Error: boom`. */
export function describeExit(exit: WorkerExit): string {
  if (exit.error !== undefined) {
    const e = exit.error;
    return e instanceof Error ? `${e.name}: ${e.message}` : `uncaught ${String(e)}`;
  }
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const THREAD_ENTRY = new URL('./thread-entry.js', import.meta.url);
const PROCESS_ENTRY = fileURLToPath(new URL('./process-entry.js', import.meta.url));

/** Starts a worker thread. */
export function spawnThread(init: WorkerInit): WorkerHandle {
  const thread = new Thread(THREAD_ENTRY, { workerData: init });
  const ready = deferred();
  let dead = false;
  let error: unknown;
  let onMessage: (m: FromWorker) => void = () => undefined;
  thread.on('message', (m: unknown) => {
    if (!isFromWorker(m)) return;
    if (m.type === 'ready') ready.resolve();
    onMessage(m);
  });
  thread.on('error', (err) => {
    error = err;
  });
  const exited = new Promise<WorkerExit>((resolve) => {
    thread.once('exit', (code) => {
      dead = true;
      resolve(error === undefined ? { code, signal: null } : { code, signal: null, error });
    });
  });
  return {
    label: `thread ${thread.threadId}`,
    pid: process.pid,
    threadId: thread.threadId,
    ready: ready.promise,
    exited,
    get dead() {
      return dead;
    },
    stop() {
      if (!dead) thread.postMessage({ type: 'stop' } satisfies ToWorker);
    },
    kill() {
      if (!dead) void thread.terminate();
    },
    onMessage(fn) {
      onMessage = fn;
    },
  };
}

/** Starts a worker process. */
export function spawnProcess(init: WorkerInit): WorkerHandle {
  const child: ChildProcess = fork(PROCESS_ENTRY, [JSON.stringify(init)], {
    // No stdin: the terminal's input belongs to the master. Task output goes where the master's goes.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = deferred();
  let dead = false;
  let onMessage: (m: FromWorker) => void = () => undefined;
  child.on('message', (m: unknown) => {
    if (!isFromWorker(m)) return;
    if (m.type === 'ready') ready.resolve();
    onMessage(m);
  });
  // A send to a process that just died fails asynchronously; its exit is what matters.
  child.on('error', () => undefined);
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      dead = true;
      resolve({ code, signal });
    });
  });
  return {
    label: `pid ${child.pid}`,
    pid: child.pid ?? 0,
    threadId: null,
    ready: ready.promise,
    exited,
    get dead() {
      return dead;
    },
    stop() {
      if (!dead && child.connected) child.send({ type: 'stop' } satisfies ToWorker, () => undefined);
    },
    kill() {
      if (!dead) child.kill('SIGKILL');
    },
    onMessage(fn) {
      onMessage = fn;
    },
  };
}
