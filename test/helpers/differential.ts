// Differential testing: the same commands go to an in-process simpledb and to
// a private real redis-server; the reply bytes must be identical.
import { expect } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { RawConnection } from './raw-connection.js';
import { startRedis, type RedisProcess } from './redis-server.js';

export interface ServerPair {
  simpledbPort: number;
  redisPort: number;
  /** A fresh connection to each server. */
  connect(): Promise<[simpledb: RawConnection, redis: RawConnection]>;
  close(): Promise<void>;
}

export async function startPair(): Promise<ServerPair> {
  const server = await startServer({ host: '127.0.0.1', port: 0 });
  let redis: RedisProcess;
  try {
    redis = await startRedis();
  } catch (e) {
    await server.close();
    throw e;
  }
  const open: RawConnection[] = [];
  return {
    simpledbPort: server.port,
    redisPort: redis.port,
    async connect() {
      const pair: [RawConnection, RawConnection] = [await RawConnection.open(server.port), await RawConnection.open(redis.port)];
      open.push(...pair);
      return pair;
    },
    async close() {
      for (const c of open) c.close();
      await server.close();
      await redis.stop();
    },
  };
}

const show = (s: string) => JSON.stringify(s);

/**
 * Sends each command to both servers on the given connections and asserts
 * that the replies are byte-identical. Returns Redis's replies.
 * Commands are argv arrays, or a raw string sent as-is (inline commands).
 */
export async function expectSameReplies(
  conns: [RawConnection, RawConnection],
  commands: readonly (readonly string[] | string)[],
): Promise<string[]> {
  const [ours, theirs] = conns;
  const replies: string[] = [];
  for (const cmd of commands) {
    const send = (c: RawConnection) =>
      typeof cmd === 'string' ? (c.write(cmd), c.readReply().then((b) => b.toString('latin1'))) : c.command(...cmd);
    const [a, b] = await Promise.all([send(ours), send(theirs)]);
    const label = typeof cmd === 'string' ? show(cmd) : cmd.map(show).join(' ');
    expect(show(a), `reply to ${label}`).toBe(show(b));
    replies.push(b);
  }
  return replies;
}
