// The command queue on its own, with no socket: what a batch contains, how
// replies are matched, what a lost connection or a timeout does to each FIFO.
import { describe, expect, it } from 'vitest';
import { CommandQueue } from '../../src/client/command-queue.js';
import { Deadlines } from '../../src/client/deadlines.js';
import { ConnectionClosedError, ReplyError } from '../../src/client/errors.js';
import { PendingCommand } from '../../src/client/pending-command.js';
import { PubSubRouter } from '../../src/client/pubsub-router.js';
import { ProtocolError } from '../../src/resp/protocol-error.js';

interface Outcome {
  value?: unknown;
  error?: Error;
}

function setup(commandTimeout = 0): { queue: CommandQueue; pushes: unknown[][]; router: PubSubRouter; deadlines: Deadlines } {
  const router = new PubSubRouter({ listening: () => false, message: () => {}, pmessage: () => {}, smessage: () => {}, listenerError: () => {} });
  const pushes: unknown[][] = [];
  let queue: CommandQueue | undefined;
  const deadlines = new Deadlines(commandTimeout, () => queue?.expired());
  queue = new CommandQueue(router, deadlines, (frame) => pushes.push(frame));
  return { queue, pushes, router, deadlines };
}

function add(queue: CommandQueue, name: string, args: unknown[] = [], opts: { buffers?: boolean; confirmations?: number } = {}): Outcome & { cmd: PendingCommand } {
  const out: Outcome & { cmd?: PendingCommand } = {};
  const cmd = new PendingCommand(
    name.toUpperCase(),
    name,
    args,
    opts.buffers === true,
    (v) => (out.value = v),
    (e) => (out.error = e),
    opts.confirmations ?? 0,
  );
  queue.enqueue(cmd);
  out.cmd = cmd;
  return out as Outcome & { cmd: PendingCommand };
}

const bytes = (b: Buffer | Buffer[] | null): string =>
  b === null ? '' : Buffer.concat(Array.isArray(b) ? b : [b]).toString('latin1');

describe('CommandQueue', () => {
  it('one batch holds every queued command, in order, and empties the to-write queue', () => {
    const { queue } = setup();
    add(queue, 'SET', ['k', 'v']);
    add(queue, 'GET', ['k']);
    expect(queue.waiting).toBe(2);
    expect(bytes(queue.takeBatch())).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    expect(queue.waiting).toBe(0);
    expect(queue.takeBatch()).toBeNull();
  });

  it('matches replies in order; an error reply rejects only its own command', () => {
    const { queue } = setup();
    const a = add(queue, 'SET', ['k', 'v']);
    const b = add(queue, 'LPUSH', ['k', 'x']);
    const c = add(queue, 'GET', ['k'], { buffers: true });
    queue.takeBatch();
    queue.feed(Buffer.from('+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$1\r\nv\r\n'));
    expect(a.value).toBe('OK');
    expect(b.error).toBeInstanceOf(ReplyError);
    expect((b.error as ReplyError).command).toBe('LPUSH');
    expect(c.value).toEqual(Buffer.from('v'));
  });

  it('a reply with nothing waiting is a protocol error', () => {
    const { queue } = setup();
    expect(() => queue.feed(Buffer.from('+OK\r\n'))).toThrow(ProtocolError);
  });

  it('a lost connection rejects what was in flight and keeps what was never written', () => {
    const { queue } = setup();
    const written = add(queue, 'LPUSH', ['q', 'job']);
    queue.takeBatch();
    const unwritten = add(queue, 'GET', ['k']);
    const cause = new Error('reset');
    queue.connectionLost(cause);
    expect(written.error).toBeInstanceOf(ConnectionClosedError);
    expect((written.error as ConnectionClosedError).cause).toBe(cause);
    expect(unwritten.error).toBeUndefined();
    expect(queue.waiting).toBe(1);
    queue.connectionStarted();
    expect(bytes(queue.takeBatch())).toBe('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    queue.feed(Buffer.from('$1\r\nv\r\n'));
    expect(unwritten.value).toBe('v');
  });

  it('a command that times out before it is written is left out of the batch', async () => {
    const { queue, deadlines } = setup(5);
    const slow = add(queue, 'GET', ['a']);
    deadlines.set(slow.cmd, 0);
    await new Promise((r) => setTimeout(r, 30));
    const kept = add(queue, 'GET', ['b']);
    expect(slow.error?.name).toBe('TimeoutError');
    expect(bytes(queue.takeBatch())).toBe('*2\r\n$3\r\nGET\r\n$1\r\nb\r\n');
    queue.feed(Buffer.from('$1\r\nB\r\n'));
    expect(kept.value).toBe('B');
  });

  it('subscribe confirmations settle their command once all have arrived; messages go to the router', () => {
    const { queue, router } = setup();
    const got: string[] = [];
    router.subs.addChannels(['a', 'b'], (m, ch) => got.push(`${ch}:${m}`));
    const sub = add(queue, 'SUBSCRIBE', ['a', 'b'], { confirmations: 2 });
    queue.takeBatch();
    queue.feed(Buffer.from('*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n'));
    expect(sub.value).toBeUndefined();
    expect(sub.cmd.done).toBe(false);
    queue.feed(Buffer.from('*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n'));
    expect(sub.cmd.done).toBe(true);
    expect(got).toEqual(['a:hi']);
  });

  it('an array reply that looks like a message is an ordinary reply when not subscribed', () => {
    const { queue } = setup();
    const r = add(queue, 'LRANGE', ['l', 0, -1]);
    queue.takeBatch();
    queue.feed(Buffer.from('*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nb\r\n'));
    expect(r.value).toEqual(['message', 'a', 'b']);
  });

  it('RESP3 pushes that are not pub/sub go to onPush without taking a reply', () => {
    const { queue, pushes } = setup();
    const r = add(queue, 'ECHO', ['x']);
    queue.takeBatch();
    queue.feed(Buffer.from('>2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n$1\r\nx\r\n'));
    expect(pushes).toEqual([['invalidate', ['key']]]);
    expect(r.value).toBe('x');
  });

  it('(un)subscribe calls cut off by a lost connection wait for the restore, then resolve', () => {
    const { queue } = setup();
    const sub = add(queue, 'SUBSCRIBE', ['a'], { confirmations: 1 });
    queue.takeBatch();
    queue.connectionLost(undefined);
    expect(sub.cmd.done).toBe(false);
    queue.restored();
    expect(sub.cmd.done).toBe(true);
    expect(sub.error).toBeUndefined();
  });

  it('handshake commands go ahead of queued ones; rejectAll and rejectUnwritten settle everything', () => {
    const { queue } = setup();
    const queued = add(queue, 'GET', ['k']);
    const hello: Outcome = {};
    const auth = new PendingCommand('AUTH', 'AUTH', ['pw'], false, (v) => (hello.value = v), (e) => (hello.error = e), 0, true);
    expect(queue.handshake([auth])).toBe('*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n');
    queue.feed(Buffer.from('-WRONGPASS invalid password\r\n'));
    expect(hello.error).toBeInstanceOf(ReplyError);
    queue.rejectUnwritten(hello.error as Error);
    expect(queued.error).toBe(hello.error);
    expect(queue.takeBatch()).toBeNull();

    const later = add(queue, 'GET', ['k']);
    queue.takeBatch();
    const last = add(queue, 'GET', ['k']);
    queue.rejectAll(new ConnectionClosedError('The client is closed'));
    expect(later.error?.message).toBe('The client is closed (GET)');
    expect(last.error?.message).toBe('The client is closed (GET)');
  });
});
