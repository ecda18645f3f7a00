// A bare TCP connection for byte-exact server tests: send raw bytes or
// commands, read back whole RESP replies as the exact bytes the server sent.
import { createConnection, type Socket } from 'node:net';

/** Length of the first complete RESP frame in buf starting at `start`, or -1 if incomplete. */
export function frameEnd(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', start);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[start]);
  const header = buf.toString('latin1', start + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '$':
    case '=':
    case '!': {
      const n = Number(header);
      if (n < 0) return afterLine;
      return buf.length >= afterLine + n + 2 ? afterLine + n + 2 : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      let n = Number(header);
      if (n < 0) return afterLine;
      if (type === '%' || type === '|') n *= 2;
      let pos = afterLine;
      for (let i = 0; i < n; i++) {
        pos = frameEnd(buf, pos);
        if (pos < 0) return -1;
      }
      // An attribute precedes the real reply.
      return type === '|' ? frameEnd(buf, pos) : pos;
    }
    default:
      // + - : , # _ ( and inline-looking lines
      return afterLine;
  }
}

/** Encodes argv as a RESP multibulk (binary strings: one char per byte). */
export function encodeCommand(argv: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RawConnection {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ port, host });
      s.setNoDelay(true);
      s.once('connect', () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitForData(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Reads exactly one complete reply; rejects after timeoutMs (a bound for a busy machine, not a measure). */
  async readReply(timeoutMs = 10_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = frameEnd(this.buf);
      if (end >= 0) {
        const reply = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end);
        return Buffer.from(reply);
      }
      if (this.closed) throw new Error(`connection closed; pending bytes: ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitForData(left))) {
        throw new Error(`no complete reply within ${timeoutMs}ms; pending bytes: ${JSON.stringify(this.buf.toString('latin1'))}`);
      }
    }
  }

  /** Sends a command (argv) and reads one reply as a latin1 string. */
  async command(...argv: (string | Buffer)[]): Promise<string> {
    this.write(encodeCommand(argv));
    return (await this.readReply()).toString('latin1');
  }

  /** Everything the server sends until it closes the connection or goes quiet for quietMs. */
  async readUntilQuiet(quietMs = 100): Promise<string> {
    while (!this.closed && (await this.waitForData(quietMs)));
    const out = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** Everything the server sends until it closes the connection (waiting up to timeoutMs for the close). */
  async readUntilClosed(timeoutMs = 10_000): Promise<string> {
    await this.waitClosed(timeoutMs);
    const out = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** Resolves when the server closes the connection, or false after timeoutMs. */
  async waitClosed(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitForData(left))) break;
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
