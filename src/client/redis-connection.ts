// The command surface RedisClient and RedisCluster share, for code that works
// with either (huey's Redis storage): it names no class, so depending on it
// pulls in neither.
import type { CommandArgument } from '../resp/encoder.js';
import type { MessageListener, PatternListener } from './pub-sub.js';
import type { Reply } from './reply.js';

/** What a caller can do with a RedisClient or a RedisCluster alike. */
export interface RedisConnection {
  call<T = Reply>(command: string, ...args: CommandArgument[]): Promise<T>;
  callBuffer<T = Reply>(command: string, ...args: CommandArgument[]): Promise<T>;
  multi<T = Reply[]>(commands: readonly (readonly CommandArgument[])[], options?: { buffers?: boolean }): Promise<T>;
  /** A new connection (or set of connections) with the same options. */
  duplicate(): RedisConnection;
  subscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void>;
  psubscribe(patterns: string | readonly string[], listener?: PatternListener): Promise<void>;
  unsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void>;
  punsubscribe(patterns?: string | readonly string[], listener?: PatternListener): Promise<void>;
  /** Sharded pub/sub: SSUBSCRIBE, on a cluster to the primary owning each channel's slot. */
  ssubscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void>;
  sunsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void>;
  connect(): Promise<void>;
  quit(): Promise<void>;
  disconnect(): void;
}
