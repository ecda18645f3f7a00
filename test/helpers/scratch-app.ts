// A scratch app for CLI tests that run huey-consumer and app scripts as
// processes sharing files (a SQLite database, a record of runs): each test
// gets a fresh temporary folder and an environment made from it, and
// whatever the test started (processes, hueys) is stopped and the folder
// removed after it, whether the test passed or not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Spawned, consumer, requireBuild } from '../cli/helpers.js';

export interface ScratchAppOptions {
  /** Start of the scratch folder's name (in the system's temporary folder). */
  prefix: string;
  /** The app module given to huey-consumer ahead of each test's arguments; none by default. */
  module?: string;
  /** The environment of each test's processes, given a path inside its scratch folder. */
  env(path: (name: string) => string): Record<string, string>;
}

export interface ScratchApp {
  /** This test's environment: refilled before each test; a test may change it (later processes see the change). */
  readonly env: Record<string, string>;
  /** A path inside this test's scratch folder. */
  path(name: string): string;
  /** Starts huey-consumer with the module (if any) and `args`, in `env` plus `extra`. */
  start(args: string[], extra?: Record<string, string>): Spawned;
  /** Starts `node <args>` (an app script) in `env` plus `extra`. */
  node(args: string[], extra?: Record<string, string>): Spawned;
  /** Closes `huey` after the test. */
  keep<H extends { close(): Promise<unknown> }>(huey: H): H;
}

/** Registers the per-test folder, environment and cleanup; call it inside a describe. */
export function useScratchApp(options: ScratchAppOptions): ScratchApp {
  let dir = '';
  const env: Record<string, string> = {};
  const running: Spawned[] = [];
  const hueys: { close(): Promise<unknown> }[] = [];
  const path = (name: string) => join(dir, name);
  const track = (p: Spawned) => {
    running.push(p);
    return p;
  };

  beforeEach(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), options.prefix));
    for (const key of Object.keys(env)) delete env[key];
    Object.assign(env, options.env(path));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.dispose()));
    await Promise.all(hueys.splice(0).map((h) => h.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    env,
    path,
    start: (args, extra = {}) => track(consumer([...(options.module === undefined ? [] : [options.module]), ...args], { ...env, ...extra })),
    node: (args, extra = {}) => track(new Spawned(process.execPath, args, { ...env, ...extra })),
    keep(huey) {
      hueys.push(huey);
      return huey;
    },
  };
}
