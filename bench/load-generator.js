// A stand-in for redis-benchmark on machines that lack it: `clients`
// connections, each sending `pipeline` requests at a time and waiting for
// their replies before the next batch, until `requests` replies have come
// back. Same commands, keys and values as redis-benchmark's tests of the same
// names. It runs as its own process, as redis-benchmark does, so that it never
// shares an event loop with a server it measures. bench/server.js uses it
// when redis-benchmark is not installed (or with --generator node).
//
//   node bench/load-generator.js --port 6379 --test lpush [--clients 50] [--requests 100000] [--pipeline 16]
//
// Prints one JSON line: {"test":"LPUSH","requests":100000,"seconds":0.41,"rps":243902.4}
import { connect } from 'node:net';

/** redis-benchmark's commands for its tests (without -r, __rand_int__ is all zeros). */
const COMMANDS = {
  ping_inline: 'PING\r\n',
  ping_mbulk: ['PING'],
  set: ['SET', 'key:000000000000', 'xxx'],
  get: ['GET', 'key:000000000000'],
  incr: ['INCR', 'counter:000000000000'],
  lpush: ['LPUSH', 'mylist', 'xxx'],
  rpush: ['RPUSH', 'mylist', 'xxx'],
  lpop: ['LPOP', 'mylist'],
  rpop: ['RPOP', 'mylist'],
  sadd: ['SADD', 'myset', 'element:000000000000'],
  hset: ['HSET', 'myhash', 'element:000000000000', 'xxx'],
  zadd: ['ZADD', 'myzset', '0', 'element:000000000000'],
};

export const loadGeneratorTests = Object.keys(COMMANDS);

function encode(command) {
  if (typeof command === 'string') return Buffer.from(command, 'latin1');
  return Buffer.from(`*${command.length}\r\n` + command.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''), 'latin1');
}

/**
 * Counts complete replies in a byte stream, across chunk boundaries. The
 * tests above only get simple strings, integers and bulk strings back; an
 * error reply or any other type stops the run, since the figure would mean
 * nothing.
 */
export class ReplyCounter {
  partial = '';
  /** Bytes of a bulk body (and its CRLF) still to skip. */
  skip = 0;

  count(chunk) {
    let replies = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, chunk.length - i);
        this.skip -= k;
        i += k;
        if (this.skip === 0) replies++;
        continue;
      }
      const lf = chunk.indexOf(10, i);
      if (lf < 0) {
        this.partial += chunk.toString('latin1', i);
        break;
      }
      let line = this.partial + chunk.toString('latin1', i, lf);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.partial = '';
      i = lf + 1;
      switch (line[0]) {
        case '+':
        case ':':
          replies++;
          break;
        case '$': {
          const len = Number(line.slice(1));
          if (len < 0) replies++;
          else this.skip = len + 2;
          break;
        }
        case '-':
          throw new Error(`the server replied with an error: ${line}`);
        default:
          throw new Error(`unexpected reply: ${JSON.stringify(line)}`);
      }
    }
    return replies;
  }
}

/** Runs one test; resolves to { test, requests, seconds, rps }. */
export function generateLoad({ host = '127.0.0.1', port, test, clients = 50, requests = 100_000, pipeline = 1 }) {
  const command = COMMANDS[test];
  if (command === undefined) throw new Error(`unknown test ${test}; known: ${loadGeneratorTests.join(', ')}`);
  const one = encode(command);
  const fullBatch = Buffer.concat(Array(pipeline).fill(one));
  return new Promise((resolve, reject) => {
    const conns = [];
    let sent = 0;
    let received = 0;
    let connected = 0;
    let start = 0n;
    const fail = (err) => {
      for (const c of conns) c.socket.destroy();
      reject(err);
    };
    const sendBatch = (conn) => {
      const k = Math.min(pipeline, requests - sent);
      if (k <= 0) return;
      sent += k;
      conn.awaiting = k;
      conn.socket.write(k === pipeline ? fullBatch : Buffer.concat(Array(k).fill(one)));
    };
    for (let c = 0; c < clients; c++) {
      const socket = connect({ host, port });
      const conn = { socket, counter: new ReplyCounter(), awaiting: 0 };
      conns.push(conn);
      socket.setNoDelay(true);
      socket.on('error', fail);
      socket.on('connect', () => {
        // Timing starts once every connection is up, and every connection starts together.
        if (++connected < clients) return;
        start = process.hrtime.bigint();
        for (const other of conns) sendBatch(other);
      });
      socket.on('data', (chunk) => {
        let got;
        try {
          got = conn.counter.count(chunk);
        } catch (err) {
          return fail(err);
        }
        received += got;
        conn.awaiting -= got;
        if (received >= requests) {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          for (const other of conns) other.socket.destroy();
          resolve({ test: test.toUpperCase(), requests, seconds, rps: requests / seconds });
        } else if (conn.awaiting === 0) {
          sendBatch(conn);
        }
      });
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  try {
    const result = await generateLoad({
      host: opt('host', '127.0.0.1'),
      port: Number(opt('port', 6379)),
      test: opt('test', 'ping_mbulk'),
      clients: Number(opt('clients', 50)),
      requests: Number(opt('requests', 100_000)),
      pipeline: Number(opt('pipeline', 1)),
    });
    console.log(JSON.stringify(result));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
