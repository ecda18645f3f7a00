// Public entry of the client package export (`<package>/client`): a pipelined
// RESP2/RESP3 client for simpledb and Redis.
//
//   redis-client     RedisClient: connection lifecycle, command queues, pub/sub routing
//   options          redis:// URLs, defaults, validation
//   command-info     per-command facts (blocking timeouts, refusals), cached
//   transaction      MULTI/EXEC batches and how their replies combine
//   pub-sub          the subscription registry restored after reconnects
//   pending-command  one command between call and reply
//   fifo             the O(1) queue under both command queues
//   errors           ReplyError, ConnectionClosedError, TimeoutError, ...
// Encoding and decoding live in src/resp (CommandWriter, RespDecoder).
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
