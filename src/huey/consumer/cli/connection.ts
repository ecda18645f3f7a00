/**
 * Logs the storage connection's troubles. The client reconnects on its own
 * and queues commands meanwhile, so without this a consumer whose server is
 * down (or at the wrong address) would sit silent after "ready". The first
 * failure, and a connection lost after it was up, log at ERROR with the
 * address and the reason; each further attempt logs at DEBUG (-v), with a
 * WARNING reminder at most once a minute; coming back logs at INFO.
 */
import type { Huey } from '../../api.js';
import type { Logger } from '../../logger.js';
import { RedisStorage } from '../../storage/redis.js';
import { describeStorage } from './banner.js';

/** How often, at most, a still-failing connection is reported above DEBUG. */
const REMIND_EVERY_MS = 60_000;

/**
 * Starts logging the connection of `huey`'s storage (its connection for
 * ordinary commands: the others go to the same server). Returns the
 * function that stops it. Does nothing for storages without a connection.
 */
export function watchConnection(huey: Huey<boolean>, logger: Logger): () => void {
  const storage = huey.storage;
  if (!(storage instanceof RedisStorage)) return () => undefined;
  const client = storage.client;
  const where = describeStorage(huey);
  let down = false;
  let wasUp = client.status === 'ready';
  let failures = 0;
  let lastReport = 0;

  const onReconnecting = (info: { attempt: number; delay: number; error: Error | undefined }) => {
    const reason = info.error?.message ?? 'connection closed';
    failures += 1;
    const now = Date.now();
    if (!down) {
      down = true;
      lastReport = now;
      const lost = wasUp ? 'lost the connection to' : 'cannot reach';
      logger.error(`${lost} the storage at ${where}: ${reason}; retrying in the background (each attempt is logged with -v)`);
      return;
    }
    if (now - lastReport >= REMIND_EVERY_MS) {
      lastReport = now;
      logger.warn(`still cannot reach the storage at ${where} (${failures} failed attempts): ${reason}`);
      return;
    }
    logger.debug(`reconnect attempt ${info.attempt} to ${where} failed: ${reason}; next in ${info.delay}ms`);
  };
  const onReady = () => {
    if (down) logger.info(`connected to the storage at ${where} again`);
    else logger.debug(`connected to the storage at ${where}`);
    down = false;
    wasUp = true;
    failures = 0;
  };
  // Every connection error is followed by a 'reconnecting' event carrying it, so 'error' is not needed.

  client.on('reconnecting', onReconnecting);
  client.on('ready', onReady);
  return () => {
    client.off('reconnecting', onReconnecting);
    client.off('ready', onReady);
  };
}
