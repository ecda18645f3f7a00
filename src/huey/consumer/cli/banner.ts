/**
 * The start banner: which module and huey are being consumed, where its
 * storage lives, every option in effect, and the periodic tasks with their
 * schedules. The lines that announce the workers and list the tasks come
 * from whoever starts the workers (../start-lines.ts): the in-process
 * Consumer for async, the master for thread/process workers.
 */
import { RedisCluster } from '../../../client/index.js';
import type { Huey } from '../../api.js';
import { RedisStorage } from '../../storage/redis.js';
import type { ConsumerSettings } from './options.js';
import { SqliteStorage } from '../../storage/sqlite.js';
import type { ModuleSpec } from './load.js';

/** Where the huey's data lives, for humans. */
export function describeStorage(huey: Huey<boolean>): string {
  const storage = huey.storage;
  if (storage instanceof RedisStorage) {
    if (storage.client instanceof RedisCluster) return `Redis Cluster (${storage.client.seeds.join(', ')})`;
    const o = storage.client.options;
    return `redis://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}/${o.db}`;
  }
  if (storage instanceof SqliteStorage) return `SQLite file ${storage.filename} (${storage.driver})`;
  return `${storage.constructor.name} (in this process only)`;
}

function seconds(n: number): string {
  return `${n}s`;
}

/** The options in effect, as `name=value` pairs. */
export function describeOptions(s: ConsumerSettings): string {
  const parts = [
    `workers=${s.workers}`,
    `worker-type=${s.workerType}${s.workerType === 'greenlet' ? ' (async)' : ''}`,
    `periodic=${s.periodic ? 'on' : 'off'}`,
    `scheduler-interval=${seconds(s.schedulerInterval)}`,
    `crontab-time=${s.utc ? 'UTC' : 'local'}`,
    `health-check=${s.healthCheck ? `every ${seconds(s.healthCheckInterval)}` : 'off'}`,
    `delay=${seconds(s.initialDelay)}`,
    `max-delay=${seconds(s.maxDelay)}`,
    `backoff=${s.backoff}`,
    `log-level=${s.logLevel}`,
    `logfile=${s.logfile ?? '-'}`,
  ];
  if (s.simpledbPort !== null) parts.push(`simpledb=${s.simpledbPort}`);
  return parts.join(' ');
}

/** One line per periodic task, with its cron line when the validator is a crontab. */
export function periodicLines(huey: Huey<boolean>): string[] {
  return huey.registry.periodic().map((def) => {
    const v = def.validate as { spec?: unknown; toString(): string } | undefined;
    // A crontab() validator prints as its cron line; a plain function would print its source.
    const when = v && v.spec !== undefined ? ` (${v.toString()})` : '';
    return `+ ${def.name}${when}`;
  });
}

/**
 * With --simpledb: a warning when the huey does not use the embedded server
 * (it would wait for a server that is not there, or use another one), or null.
 */
export function simpledbMismatch(huey: Huey<boolean>, port: number): string | null {
  const storage = huey.storage;
  const listens = `--simpledb listens on 127.0.0.1:${port}`;
  if (!(storage instanceof RedisStorage)) {
    return `warning: ${listens} but huey "${huey.name}" does not use it (its storage is ${describeStorage(huey)})`;
  }
  if (storage.client instanceof RedisCluster) return `warning: ${listens} but huey "${huey.name}" uses ${describeStorage(huey)}`;
  const o = storage.client.options;
  // The server listens on 127.0.0.1 only; "localhost" reaches it too.
  if (o.port === port && (o.host === '127.0.0.1' || o.host === 'localhost')) return null;
  return `warning: ${listens} but huey "${huey.name}" uses ${describeStorage(huey)} (set HUEY_URL, or the huey's url, to redis://127.0.0.1:${port})`;
}

/** The banner, as one multi-line log message. */
export function banner(huey: Huey<boolean>, spec: ModuleSpec, settings: ConsumerSettings): string {
  const periodic = periodicLines(huey);
  const mismatch = settings.simpledbPort === null ? null : simpledbMismatch(huey, settings.simpledbPort);
  const lines = [
    'HUEY CONSUMER',
    `module ${spec.path}, export "${spec.exportName}": huey "${huey.name}" on ${describeStorage(huey)}`,
    `options: ${describeOptions(settings)}`,
    ...(mismatch === null ? [] : [mismatch]),
    periodic.length ? `periodic tasks (${settings.periodic ? `checked every minute, ${settings.utc ? 'UTC' : 'local time'}` : 'disabled by -n'}):` : 'no periodic tasks',
    ...periodic,
  ];
  return lines.join('\n');
}
