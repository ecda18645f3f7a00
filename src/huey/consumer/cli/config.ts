/**
 * huey-consumer and huey.config.js (../../config.ts reads it): the config's
 * consumer options fill in what the command line and the environment
 * (HUEY_WORKERS) left at their defaults, each checked by the option's own
 * parser. Its `module` names the module holding the Huey, whatever the
 * command line names; its `tasks` are the targets when the command line
 * names none. Both are relative to the config file's folder.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { ConsumerConfig, LoadedConfig } from '../../config.js';
import { ConfigurationError } from '../../exceptions.js';
import { WORKER_TYPES, parseBackoff, parseSchedulerInterval, parseSeconds, parseWorkers, type ConsumerFlags } from './options.js';
import { parseModuleSpec } from './load.js';

/** Where commander says an option's value came from ('cli', 'env', 'default', or undefined). */
export type SourceOf = (key: string) => string | undefined;

type Check = (value: unknown) => unknown;
const numberWith = (parse: (text: string) => number): Check => (v) => {
  if (typeof v !== 'number' && typeof v !== 'string') throw new InvalidArgumentError('must be a number.');
  return parse(String(v));
};
const boolean: Check = (v) => {
  if (typeof v !== 'boolean') throw new InvalidArgumentError('must be true or false.');
  return v;
};

const CHECKS: Record<keyof ConsumerConfig, Check> = {
  workers: numberWith(parseWorkers),
  workerType: (v) => {
    if (!WORKER_TYPES.includes(v as never)) throw new InvalidArgumentError(`must be one of ${WORKER_TYPES.join(', ')}.`);
    return v;
  },
  periodic: boolean,
  delay: numberWith(parseSeconds('delay')),
  maxDelay: numberWith(parseSeconds('maxDelay')),
  backoff: numberWith(parseBackoff),
  healthCheckInterval: numberWith(parseSeconds('healthCheckInterval')),
  disableHealthCheck: boolean,
  schedulerInterval: numberWith(parseSchedulerInterval),
  utc: boolean,
  localtime: boolean,
  logfile: (v) => {
    if (typeof v !== 'string' || v === '') throw new InvalidArgumentError('must be a file path.');
    return v;
  },
  verbose: boolean,
  quiet: boolean,
  flushLocks: boolean,
};

// Options that exclude each other: one given on the command line overrides the config's other.
const PAIRS: Record<string, string> = { verbose: 'quiet', quiet: 'verbose', utc: 'localtime', localtime: 'utc' };

/** `flags` with the config's consumer options where the command line and environment gave none. */
export function applyConfig(flags: ConsumerFlags, sourceOf: SourceOf, config: LoadedConfig): ConsumerFlags {
  const out = { ...flags } as unknown as Record<string, unknown>;
  const given = (key: string) => sourceOf(key) === 'cli' || sourceOf(key) === 'env';
  for (const [key, value] of Object.entries(config.consumer ?? {})) {
    const partner = PAIRS[key];
    if (given(key) || (partner !== undefined && given(partner))) continue;
    try {
      out[key] = CHECKS[key as keyof ConsumerConfig](value);
    } catch (err) {
      throw new ConfigurationError(`${config.file}: consumer.${key} ${(err as Error).message}`);
    }
  }
  return out as unknown as ConsumerFlags;
}

/** A path of the config file `file` as a target: made absolute from the file's folder, `:export` kept. */
function fromConfig(file: string, target: string): string {
  const spec = parseModuleSpec(target);
  const path = isAbsolute(spec.path) ? spec.path : resolve(dirname(file), spec.path);
  return target.endsWith(`:${spec.exportName}`) ? `${path}:${spec.exportName}` : path;
}

/** The config's `module` (the module holding the Huey) as a target, or null. */
export function configModule(config: LoadedConfig): string | null {
  return config.file === null || !config.module ? null : fromConfig(config.file, config.module);
}

/**
 * The targets to consume: the config's `module` always (it holds the Huey,
 * even when the command line names only task modules or folders), then the
 * command line's targets, or else the config's `tasks`.
 */
export function consumerTargets(config: LoadedConfig, commandLine: string[]): string[] {
  const module = configModule(config);
  let tasks = commandLine;
  if (tasks.length === 0 && config.file !== null && config.tasks !== undefined) {
    const file = config.file;
    tasks = (Array.isArray(config.tasks) ? config.tasks : [config.tasks]).map((t) => fromConfig(file, t));
  }
  return [...(module === null ? [] : [module]), ...tasks];
}
