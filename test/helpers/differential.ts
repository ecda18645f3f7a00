// Differential testing: the same commands go to an in-process simpledb and to
// a private real redis-server; the reply bytes must be identical.
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { encodeCommand, RawConnection } from './raw-connection.js';
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

/**
 * As expectSameReplies, but every command is written at once and the replies
 * are read back in order: for long runs of commands (thousands) whose replies
 * do not depend on timing, where a round trip per command would make the
 * test's length follow the machine's load.
 */
export async function expectSamePipelinedReplies(conns: [RawConnection, RawConnection], commands: readonly (readonly string[])[]): Promise<void> {
  const wire = Buffer.concat(commands.map((cmd) => encodeCommand(cmd)));
  const replies = await Promise.all(
    conns.map(async (c) => {
      c.write(wire);
      const out: string[] = [];
      for (let i = 0; i < commands.length; i++) out.push((await c.readReply(30_000)).toString('latin1'));
      return out;
    }),
  );
  const [ours, theirs] = replies;
  for (let i = 0; i < commands.length; i++) {
    // One expect per mismatch only: thousands of passing expect() calls cost seconds on a busy machine.
    if (ours[i] !== theirs[i]) expect(show(ours[i]), `reply to ${commands[i].map(show).join(' ')}`).toBe(show(theirs[i]));
  }
}

export type Cmd = readonly string[] | string;

/**
 * Registers a simpledb + redis-server pair for the enclosing describe block
 * (started in beforeAll, closed in afterAll) and returns the helpers every
 * differential suite uses.
 */
export function useServerPair() {
  let pair: ServerPair | undefined;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  /** A fresh pair of connections speaking `protocol`, on empty servers. */
  async function connections(protocol: 2 | 3 = 2): Promise<[RawConnection, RawConnection]> {
    const conns = await pair!.connect();
    if (protocol === 3) {
      // HELLO's reply names the server and its version: not compared.
      for (const c of conns) expect(await c.command('HELLO', '3')).toMatch(/^%/);
    }
    await expectSameReplies(conns, [['FLUSHALL']]);
    return conns;
  }

  /** Runs the commands from an empty keyspace under RESP2, then again under RESP3 (or the given protocols). */
  async function check(commands: readonly Cmd[], protocols: readonly (2 | 3)[] = [2, 3]): Promise<void> {
    for (const protocol of protocols) {
      const conns = await connections(protocol);
      await expectSameReplies(conns, commands);
      for (const c of conns) c.close();
    }
  }

  /** As check(), with the commands pipelined (see expectSamePipelinedReplies). */
  async function checkPipelined(commands: readonly (readonly string[])[], protocols: readonly (2 | 3)[] = [2, 3]): Promise<void> {
    for (const protocol of protocols) {
      const conns = await connections(protocol);
      await expectSamePipelinedReplies(conns, commands);
      for (const c of conns) c.close();
    }
  }

  /**
   * COMMAND INFO's first seven fields (name, arity, flags, key positions,
   * categories) must match Redis; tips and key specs are not compared.
   */
  async function checkCommandTable(names: readonly string[]): Promise<void> {
    const [ours, theirs] = await connections(2);
    const head = /^\*1\r\n\*10\r\n\$\d+\r\n[^\r]+\r\n:-?\d+\r\n\*\d+\r\n(?:\+[^\r]+\r\n)*:-?\d+\r\n:-?\d+\r\n:-?\d+\r\n\*\d+\r\n(?:\+@[^\r]+\r\n)*/;
    for (const name of names) {
      const [a, b] = await Promise.all([ours.command('COMMAND', 'INFO', name), theirs.command('COMMAND', 'INFO', name)]);
      expect(head.exec(b), `Redis's COMMAND INFO ${name}`).not.toBeNull();
      expect(head.exec(a)?.[0], `COMMAND INFO ${name}`).toBe(head.exec(b)?.[0]);
    }
    ours.close();
    theirs.close();
  }

  return { pair: () => pair!, connections, check, checkPipelined, checkCommandTable };
}
