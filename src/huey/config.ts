/**
 * huey.config.js: the app's huey settings in one place, as Django's
 * settings.HUEY. huey-consumer reads it (the task modules, the consumer's
 * options, HUEY_URL); the app reads it too, with loadConfig(), for the
 * options of the Huey it creates, e.g. `alwaysEager` under NODE_ENV=test.
 * The file is the first of huey.config.js, .mjs, .json in the current
 * folder, or the one named by --config / HUEY_CONFIG.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError } from './exceptions.js';
import { optionKeys } from './option-check.js';

/** The consumer's options in a config file: huey-consumer's long option names, in camelCase. */
export interface ConsumerConfig {
  workers?: number;
  workerType?: 'async' | 'greenlet' | 'thread' | 'process';
  periodic?: boolean;
  delay?: number;
  maxDelay?: number;
  backoff?: number;
  healthCheckInterval?: number;
  disableHealthCheck?: boolean;
  schedulerInterval?: number;
  utc?: boolean;
  localtime?: boolean;
  logfile?: string;
  verbose?: boolean;
  quiet?: boolean;
  flushLocks?: boolean;
}

/** What huey.config.js exports (as default, or as named exports). */
export interface HueyConfig {
  /**
   * The module holding the Huey, `path[:export]`, relative to the config's
   * folder. It applies even when the command line names the task modules or
   * folders, so they need not export the Huey themselves; optional when a
   * task module exports it.
   */
  module?: string;
  /** Task modules, folders (every tasks.js under them) or globs, relative to the config file's folder. */
  tasks?: string | string[];
  /** The storage address; huey-consumer sets HUEY_URL to it for the app when HUEY_URL is unset. */
  url?: string;
  /** Options for the app's Huey (read by the app with loadConfig()), e.g. `{ alwaysEager: process.env.NODE_ENV === 'test' }`. */
  huey?: Record<string, unknown>;
  /** huey-consumer's options; its command line and HUEY_WORKERS take precedence. */
  consumer?: ConsumerConfig;
}

/** A loaded config, with the file it came from (null when there is none). */
export type LoadedConfig = HueyConfig & { readonly file: string | null };

/** The names looked for in the current folder, in order. */
export const CONFIG_FILES = ['huey.config.js', 'huey.config.mjs', 'huey.config.json'];

const KEYS = new Set(['module', 'tasks', 'url', 'huey', 'consumer']);
// Listed with optionKeys, so an option added to ConsumerConfig but not here is a compile error.
const CONSUMER_KEYS = new Set(
  optionKeys<ConsumerConfig>({
    workers: true, workerType: true, periodic: true, delay: true, maxDelay: true, backoff: true, healthCheckInterval: true,
    disableHealthCheck: true, schedulerInterval: true, utc: true, localtime: true, logfile: true, verbose: true, quiet: true,
    flushLocks: true,
  }),
);

/** The config file to read: `explicit` (or HUEY_CONFIG), else the first of CONFIG_FILES in `cwd`, else null. */
export function findConfigFile(explicit?: string, cwd: string = process.cwd()): string | null {
  const named = explicit ?? process.env.HUEY_CONFIG;
  if (named) {
    const file = resolve(cwd, named);
    if (!existsSync(file)) throw new ConfigurationError(`config file "${named}" does not exist`);
    return file;
  }
  return CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f)) ?? null;
}

function validate(raw: unknown, file: string): HueyConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigurationError(`${file}: the config must be an object`);
  const config = raw as Record<string, unknown>;
  const unknown = Object.keys(config).filter((k) => !KEYS.has(k));
  if (unknown.length) throw new ConfigurationError(`${file}: unknown setting(s) ${unknown.join(', ')} (known: ${[...KEYS].join(', ')})`);
  const tasks = config.tasks;
  if (tasks !== undefined && typeof tasks !== 'string' && !(Array.isArray(tasks) && tasks.every((t) => typeof t === 'string'))) {
    throw new ConfigurationError(`${file}: "tasks" must be a path or glob, or a list of them`);
  }
  for (const key of ['module', 'url'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'string') throw new ConfigurationError(`${file}: "${key}" must be a string`);
  }
  for (const key of ['huey', 'consumer'] as const) {
    const v = config[key];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) throw new ConfigurationError(`${file}: "${key}" must be an object`);
  }
  const consumer = (config.consumer ?? {}) as Record<string, unknown>;
  const badConsumer = Object.keys(consumer).filter((k) => !CONSUMER_KEYS.has(k));
  if (badConsumer.length) {
    throw new ConfigurationError(`${file}: unknown consumer option(s) ${badConsumer.join(', ')} (known: ${[...CONSUMER_KEYS].join(', ')})`);
  }
  return config as HueyConfig;
}

/**
 * Reads the config (see findConfigFile); without one, an empty config.
 * @example
 * const config = await loadConfig();
 * export const huey = new SqliteHuey('my-app', { filename: 'huey.db', ...config.huey });
 */
export async function loadConfig(options: { file?: string; cwd?: string } = {}): Promise<LoadedConfig> {
  const file = findConfigFile(options.file, options.cwd);
  if (file === null) return { file: null };
  let raw: unknown;
  try {
    if (file.endsWith('.json')) raw = JSON.parse(readFileSync(file, 'utf8'));
    else {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      raw = 'default' in mod ? mod.default : { ...mod };
    }
  } catch (err) {
    throw new ConfigurationError(`cannot read config file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  return { ...validate(raw, file), file };
}
