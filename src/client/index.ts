// Public entry of the client package export (`<package>/client`).
export { RedisClient } from './redis-client.js';
export type { Reply, ClientStatus, RedisClientEvents } from './redis-client.js';
export { parseRedisUrl, resolveOptions, defaultRetryStrategy } from './options.js';
export type { RedisClientOptions, ResolvedOptions, RetryStrategy } from './options.js';
export type { MessageListener, PatternListener } from './pub-sub.js';
export type { CommandArgument } from '../resp/encoder.js';
export {
  ReplyError,
  ConnectionClosedError,
  TimeoutError,
  ProtocolError,
  TransactionAbortedError,
  SubscriberModeError,
  UnsupportedCommandError,
} from './errors.js';
