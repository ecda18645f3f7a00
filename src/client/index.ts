// Public entry of the client package export (`<package>/client`): a pipelined
// RESP2/RESP3 client for simpledb and Redis.
//
//   redis-client     RedisClient: the public facade over the four parts below
//   command-queue    to-write and in-flight FIFOs, the encoder batch, reply matching
//   connection       connect, handshake, one write per turn, reconnect with backoff, close
//   pubsub-router    pub/sub frames and message delivery to listeners
//   deadlines        commandTimeout: one timer over the commands that have a deadline
//   options          redis:// URLs, defaults, validation
//   command-info     per-command facts (blocking timeouts, refusals), cached
//   transaction      MULTI/EXEC batches and how their replies combine
//   pub-sub          the subscription registry restored after reconnects
//   pending-command  one command between call and reply
//   fifo             the O(1) queue under both command queues
//   reply            the decoded reply type
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
