/**
 * RedisStorage's connection for blocking commands (BRPOP, BLMOVE), apart
 * from the pipelined one so that a waiting worker never delays other
 * commands, and the way to end such a wait early: wake() unblocks it with
 * CLIENT UNBLOCK, as if it had timed out (nothing is popped, nothing lost).
 */
import { serverCall, type RedisStorageClient } from './redis-connect.js';

export class RedisBlockingConnection {
  private conn: RedisStorageClient | null = null;
  /** The blocked connection's CLIENT ID while a command waits on it. */
  private blockedId: number | null = null;

  constructor(
    private readonly client: RedisStorageClient,
    /** A key of the huey, so a cluster routes CLIENT ID/UNBLOCK to the node its keys live on. */
    private readonly slotKey: string,
  ) {}

  /** Runs a blocking command on the dedicated connection, where wake() can unblock it. */
  async call(command: string, ...args: string[]): Promise<unknown> {
    if (!this.conn) this.conn = this.client.duplicate();
    const conn = this.conn;
    // The id lets wake() unblock this connection with CLIENT UNBLOCK; it is
    // pipelined ahead of the blocking command, so it costs no extra round trip.
    const idReply = serverCall(conn, this.slotKey, 'CLIENT', 'ID').then(
      (id) => {
        this.blockedId = typeof id === 'number' ? id : null;
      },
      () => {
        this.blockedId = null;
      },
    );
    try {
      return await conn.call(command, ...args);
    } finally {
      await idReply;
      this.blockedId = null;
    }
  }

  /** Ends the wait of a blocked command, if one waits. Servers without CLIENT UNBLOCK let the read timeout run out. */
  wake(): void {
    const id = this.blockedId;
    if (id === null) return;
    serverCall(this.client, this.slotKey, 'CLIENT', 'UNBLOCK', id).catch(() => undefined);
  }

  /** Drops the connection at once: a command waiting there is safe (the server pops nothing for a closed client). */
  disconnect(): void {
    this.conn?.disconnect();
    this.conn = null;
  }
}
