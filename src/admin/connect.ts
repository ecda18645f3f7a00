/**
 * Opening the huey the admin tools look at: either a storage by URL and
 * huey name (enough for queues, results, errors, consumers and counters),
 * or the user's app module (as huey-consumer loads it), which also knows
 * task names, retry counts and periodic tasks. URLs: redis://, rediss://
 * (RedisHuey) and sqlite:PATH (SqliteHuey on that file).
 */
import { existsSync, statSync } from 'node:fs';
import type { Huey } from '../huey/api.js';
import { loadHuey, parseModuleSpec } from '../huey/consumer/cli/load.js';
import { silentLogger } from '../huey/logger.js';
import { RedisHuey } from '../huey/redis-huey.js';
import { SqliteHuey } from '../huey/sqlite-huey.js';
import { ActionError } from './actions.js';

export interface ConnectOptions {
  /** redis:// or sqlite:PATH URL (default HUEY_URL, else redis://127.0.0.1:6379). */
  url?: string;
  /** The huey name (default "huey"). */
  name?: string;
  /** `path[:export]` of the app module. */
  app?: string;
  /** A one-shot command: give up on an unreachable server after a few seconds instead of waiting for it. */
  oneShot?: boolean;
}

/** An admin's huey, and whether it came from the app (so it knows the tasks). */
export interface AdminHuey {
  huey: Huey<boolean>;
  fromApp: boolean;
}

export async function connect(options: ConnectOptions): Promise<AdminHuey> {
  if (options.app) {
    // The app reads HUEY_URL itself; --url sets it for the app when given.
    if (options.url) process.env.HUEY_URL = options.url;
    const huey = await loadHuey(parseModuleSpec(options.app));
    huey.logger = silentLogger;
    return { huey, fromApp: true };
  }
  const url = options.url ?? process.env.HUEY_URL ?? 'redis://127.0.0.1:6379';
  const filename = sqliteFilename(url);
  if (filename !== null) {
    const huey = new SqliteHuey(options.name ?? 'huey', { filename, blocking: false, logger: silentLogger });
    return { huey: huey as unknown as Huey<boolean>, fromApp: false };
  }
  // Non-blocking: the admin never dequeues, and must not hold a blocked connection.
  const connection = options.oneShot ? { connectTimeout: 5000, commandTimeout: 10000, retryStrategy: (attempt: number) => (attempt > 3 ? null : 200) } : {};
  const huey = new RedisHuey(options.name ?? 'huey', { url, blocking: false, logger: silentLogger, connection });
  return { huey: huey as unknown as Huey<boolean>, fromApp: false };
}

/**
 * The file of a `sqlite:PATH` URL (`sqlite:huey.db`, `sqlite:/abs/huey.db`,
 * or `sqlite:///abs/huey.db` as other tools spell it), or null for any other
 * URL. The file must exist: opening a mistyped path would create an empty
 * database and show an empty queue instead of an error.
 */
export function sqliteFilename(url: string): string | null {
  if (!/^sqlite:/i.test(url)) return null;
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') throw new ActionError(`"${url}" names no file: use sqlite:PATH (e.g. sqlite:huey.db or sqlite:///var/lib/app/huey.db)`);
  if (!existsSync(path)) throw new ActionError(`no SQLite database at ${path} (from --url/HUEY_URL "${url}"): give the file the app's SqliteHuey uses`);
  if (!statSync(path).isFile()) throw new ActionError(`${path} (from --url/HUEY_URL "${url}") is not a file`);
  return path;
}
