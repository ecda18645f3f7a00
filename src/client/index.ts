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
//   sentinel         finding the primary through Redis Sentinel, +switch-master
//   reply            the decoded reply type
//   redis-connection the surface RedisClient and RedisCluster share
//   cluster/         RedisCluster: slots, the slot map, redirections, cluster pub/sub
//   errors           ReplyError, ConnectionClosedError, TimeoutError, ...
// Encoding and decoding live in src/resp (CommandWriter, RespDecoder).
export { RedisClient } from './redis-client.js';
export { RedisCluster } from './cluster/redis-cluster.js';
export type { RedisClusterOptions, RedisClusterEvents, ReadFrom } from './cluster/redis-cluster.js';
export type { NatMap, NodeAddress } from './cluster/slot-map.js';
export { keySlot } from './cluster/slot.js';
export type { Reply, ClientStatus, RedisClientEvents } from './redis-client.js';
export type { RedisConnection } from './redis-connection.js';
export { parseRedisUrl, resolveOptions, defaultRetryStrategy } from './options.js';
export type { RedisClientOptions, ResolvedOptions, RetryStrategy, SentinelOptions } from './options.js';
export { SentinelError } from './sentinel.js';
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
  CrossSlotError,
} from './errors.js';
