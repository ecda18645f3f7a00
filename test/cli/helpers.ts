// Helpers for the huey-consumer tests: run the built CLI as a user would
// (a spawned `node dist/bin/huey-consumer.js`), watch its output, signal it,
// and talk to its queue from the test process through a producer huey that
// knows the fixture's task names.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimpleHuey } from '../../src/huey/index.js';
import { startServer, type Server } from '../../src/server/index.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = resolve(ROOT, 'dist/bin/huey-consumer.js');
export const APP = 'test/cli/fixtures/app.js';

/**
 * How long a spawned process may take to reach a state (a log line, its exit)
 * before a test calls it hung: a bound, not a measure. Under `npm run
 * test:stress` beside other work (load 20-30 on two cores) a consumer with
 * three worker processes took over 20 s to print "ready".
 */
export const STATE_BOUND_MS = 50_000;

/** Fails clearly when the CLI has not been built (the tests run the built CLI, as users do). */
export function requireBuild(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` before these tests`);
}

let seq = 0;
/** A huey name no other test uses. */
export function uniqueName(prefix = 'cli'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A spawned process with its output collected. */
export class Spawned {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly watchers = new Set<() => void>();

  /** `env` adds to this process's environment; a value of undefined removes that variable. */
  constructor(command: string, args: string[], env: Record<string, string | undefined> = {}, cwd: string = ROOT) {
    this.child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      this.notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.notify();
        resolve({ code, signal });
      });
    });
  }

  /** stdout and stderr together. */
  get output(): string {
    return this.stdout + this.stderr;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private notify(): void {
    for (const w of [...this.watchers]) w();
  }

  /** Waits until `pattern` occurs `count` times in the output (fails after `timeoutMs` or if the process ends first). */
  waitFor(pattern: RegExp | string, count = 1, timeoutMs = STATE_BOUND_MS): Promise<void> {
    const matches = () => {
      const text = this.output;
      if (typeof pattern === 'string') return text.split(pattern).length - 1;
      return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))].length;
    };
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        if (matches() >= count) {
          done();
          resolvePromise();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(new Error(`process ended before ${String(pattern)} appeared ${count} time(s); output:\n${this.output}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${String(pattern)} did not appear ${count} time(s) within ${timeoutMs}ms; output:\n${this.output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
      check();
    });
  }

  /** Waits for the exit (fails after `timeoutMs`). */
  async waitExit(timeoutMs = STATE_BOUND_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs}ms; output:\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  /** Makes sure it is gone (test cleanup). */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Runs the built huey-consumer with `args`. */
export function consumer(args: string[], env: Record<string, string | undefined> = {}): Spawned {
  return new Spawned(process.execPath, [BIN, ...args], env);
}

/** Runs the CLI to completion (for option errors). */
export async function runCli(args: string[], env: Record<string, string> = {}) {
  const p = consumer(args, env);
  const { code } = await p.waitExit();
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** A simpledb in this process on a free port. */
export function simpledb(): Promise<Server> {
  return startServer({ host: '127.0.0.1', port: 0 });
}

/** The producer side of fixtures/app.js: same huey name and task names, functions never run here. */
export function producer(port: number, name: string) {
  const huey = new SimpleHuey(name, { url: `redis://127.0.0.1:${port}` });
  const noop = () => undefined as unknown;
  return {
    huey,
    whoami: huey.task(noop as () => { pid: number; threadId: number }, { name: 'whoami' }),
    spin: huey.task(noop as (ms: number) => { pid: number; threadId: number }, { name: 'spin' }),
    sleepy: huey.task(noop as (ms: number, tag: string) => { tag: string; pid: number; threadId: number }, { name: 'sleepy' }),
    crash: huey.task(noop as () => string, { name: 'crash' }),
    fail: huey.task(noop as () => never, { name: 'fail' }),
  };
}

/** Environment for a consumer of fixtures/app.js. */
export function appEnv(port: number, name: string): Record<string, string> {
  return { HUEY_URL: `redis://127.0.0.1:${port}`, HUEY_NAME: name };
}

/**
 * For a suite whose tests run consumers of fixtures/app.js against one shared
 * simpledb: registers the server's lifecycle and the cleanup of every consumer
 * and producer, and returns start(), which spawns a consumer on a queue of its
 * own plus a producer for it, and by default waits until the consumer is ready.
 */
export function useConsumers(prefix: string) {
  let server: Server;
  const running: Spawned[] = [];
  const producers: ReturnType<typeof producer>[] = [];
  beforeAll(async () => {
    requireBuild();
    server = await simpledb();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
    await Promise.all(producers.splice(0).map((p) => p.huey.close()));
  });
  afterAll(async () => {
    await server.close();
  });

  async function start(args: string[], { env = {}, waitReady = true }: { env?: Record<string, string>; waitReady?: boolean } = {}) {
    const name = uniqueName(prefix);
    const p = consumer([APP, ...args], { ...appEnv(server.port, name), ...env });
    running.push(p);
    const tasks = producer(server.port, name);
    producers.push(tasks);
    if (waitReady) await p.waitFor('ready; stop with Ctrl+C');
    return { p, tasks };
  }
  return { start };
}
