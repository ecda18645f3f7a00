// Redis Sentinel for one client: asks the sentinels, in turn, where the primary
// named `name` is, and listens on one sentinel for +switch-master so the client
// can leave a demoted primary at once instead of waiting for it to fail. The
// connections to sentinels are RedisClients made by a factory the client passes
// in (this module does not import the client, which imports it).
import type { RedisClientOptions, SentinelOptions } from './options.js';

/** A host and port. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** The part of a client this module uses to talk to sentinels. */
export interface SentinelLink {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/** Opens a connection to a sentinel. */
export type SentinelLinkFactory = (options: RedisClientOptions) => SentinelLink;

/** The primary could not be found through any sentinel. */
export class SentinelError extends Error {
  override readonly name = 'SentinelError';
}

/** Resolution of the primary and the +switch-master watch. */
export class SentinelWatch {
  private readonly sentinels: Address[];
  private watcher: SentinelLink | null = null;
  private watching = false;
  private closed = false;
  private next = 0;

  /**
   * @param onSwitch called with the new primary's address when a sentinel announces a failover of `name`.
   */
  constructor(
    private readonly options: SentinelOptions,
    private readonly timeoutMs: number,
    private readonly open: SentinelLinkFactory,
    private readonly onSwitch: (primary: Address) => void,
  ) {
    this.sentinels = options.sentinels.map((s) => ({ host: s.host, port: s.port }));
  }

  /** Asks each sentinel in turn for the primary's address; the first to answer is asked first next time. */
  async resolvePrimary(): Promise<Address> {
    const failures: string[] = [];
    for (let i = 0; i < this.sentinels.length; i++) {
      const sentinel = this.sentinels[i] as Address;
      const link = this.link(sentinel, () => null);
      try {
        const reply = await link.call('SENTINEL', 'get-master-addr-by-name', this.options.name);
        if (!Array.isArray(reply) || reply.length < 2) {
          failures.push(`${sentinel.host}:${sentinel.port} does not know "${this.options.name}"`);
          continue;
        }
        if (i > 0) this.sentinels.unshift(...this.sentinels.splice(i, 1));
        return { host: String(reply[0]), port: Number(reply[1]) };
      } catch (err) {
        failures.push(`${sentinel.host}:${sentinel.port}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        link.disconnect();
      }
    }
    throw new SentinelError(`No sentinel gave the address of primary "${this.options.name}" (${failures.join('; ')})`);
  }

  /** Starts listening for +switch-master (once; moves to the next sentinel when one goes away). */
  watch(): void {
    if (this.watching || this.closed) return;
    this.watching = true;
    const sentinel = this.sentinels[this.next++ % this.sentinels.length] as Address;
    // A few quick reconnects, then the next sentinel.
    const link = this.link(sentinel, (attempt) => (attempt <= 3 ? 200 : null));
    this.watcher = link;
    link.on('end', () => {
      if (this.watcher !== link) return;
      this.watcher = null;
      this.watching = false;
      if (!this.closed) setTimeout(() => this.watch(), 100).unref();
    });
    link
      .subscribe('+switch-master', (message) => {
        // "<name> <old-ip> <old-port> <new-ip> <new-port>"
        const [name, , , host, port] = message.split(' ');
        if (name === this.options.name && host !== undefined && port !== undefined) this.onSwitch({ host, port: Number(port) });
      })
      .catch(() => link.disconnect());
  }

  close(): void {
    this.closed = true;
    const watcher = this.watcher;
    this.watcher = null;
    watcher?.disconnect();
  }

  private link(sentinel: Address, retryStrategy: (attempt: number) => number | null): SentinelLink {
    const { password, username } = this.options;
    const link = this.open({
      host: sentinel.host,
      port: sentinel.port,
      password,
      username,
      retryStrategy,
      connectTimeout: this.timeoutMs,
      commandTimeout: this.timeoutMs,
      maxOfflineCommands: 16,
    });
    link.on('error', () => undefined);
    return link;
  }
}
