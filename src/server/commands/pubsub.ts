// SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH, the sharded
// SSUBSCRIBE SUNSUBSCRIBE SPUBLISH (as a one-shard Redis has them), and
// PUBSUB's introspection. The subscriptions themselves are in pubsub.ts.
import type { BuiltinCommand, Client } from '../client.js';
import { CommandError } from '../errors.js';
import { globMatch } from '../glob.js';
import { clientContainerCommand, subcommandSyntaxError } from './subcommands.js';

/**
 * The confirmation Redis sends per (un)subscribed name: [kind, name, count].
 * The count is of channels and patterns, or of shard channels for the
 * sharded kinds: Redis counts the two apart.
 */
function confirm(c: Client, kind: string, name: string | null, shard = false): void {
  c.reply.pushLen(3);
  c.reply.bulk(kind);
  if (name === null) c.reply.nullBulk();
  else c.reply.bulk(name);
  c.reply.integer(shard ? c.shardChannels.size : c.subscriptionCount);
}

// SUBSCRIBE channel [channel ...]
function subscribe(c: Client): void {
  for (let i = 1; i < c.argv.length; i++) {
    c.server.pubsub.subscribe(c, c.argv[i]);
    confirm(c, 'subscribe', c.argv[i]);
  }
}

// PSUBSCRIBE pattern [pattern ...]
function psubscribe(c: Client): void {
  for (let i = 1; i < c.argv.length; i++) {
    c.server.pubsub.psubscribe(c, c.argv[i]);
    confirm(c, 'psubscribe', c.argv[i]);
  }
}

// SSUBSCRIBE shardchannel [shardchannel ...]
function ssubscribe(c: Client): void {
  // Unlike SUBSCRIBE, Redis refuses it inside EXEC (where replies must be one per command).
  if (c.mustNotBlock) throw new CommandError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  for (let i = 1; i < c.argv.length; i++) {
    c.server.pubsub.ssubscribe(c, c.argv[i]);
    confirm(c, 'ssubscribe', c.argv[i], true);
  }
}

type Unsubscribe = 'unsubscribe' | 'punsubscribe' | 'sunsubscribe';

/** UNSUBSCRIBE, PUNSUBSCRIBE and SUNSUBSCRIBE: the named ones, or all; a nil name when there were none. */
function unsubscribeGeneric(c: Client, kind: Unsubscribe): void {
  const pubsub = c.server.pubsub;
  const shard = kind === 'sunsubscribe';
  const remove =
    kind === 'punsubscribe'
      ? (n: string) => pubsub.punsubscribe(c, n)
      : shard
        ? (n: string) => pubsub.sunsubscribe(c, n)
        : (n: string) => pubsub.unsubscribe(c, n);
  const mine = kind === 'punsubscribe' ? c.patterns : shard ? c.shardChannels : c.channels;
  const names = c.argv.length > 1 ? c.argv.slice(1) : [...mine];
  if (names.length === 0) {
    confirm(c, kind, null, shard);
    return;
  }
  for (const name of names) {
    remove(name);
    confirm(c, kind, name, shard);
  }
}

// PUBLISH channel message
function publish(c: Client): void {
  c.reply.integer(c.server.pubsub.publish(c.argv[1], c.argv[2]));
}

// SPUBLISH shardchannel message
function spublish(c: Client): void {
  c.reply.integer(c.server.pubsub.spublish(c.argv[1], c.argv[2]));
}

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the names with subscribers, matching the pattern. */
function channelList(c: Client, channels: ReadonlyMap<string, unknown>): void {
  if (c.argv.length > 3) throw subcommandSyntaxError(c);
  const pattern = c.argv[2];
  c.reply.bulkArray([...channels.keys()].filter((ch) => pattern === undefined || globMatch(pattern, ch)));
}

/** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: each name and its number of subscribers. */
function numsub(c: Client, channels: ReadonlyMap<string, ReadonlySet<unknown>>): void {
  const names = c.argv.slice(2);
  c.reply.arrayLen(2 * names.length); // a flat array even in RESP3, as Redis 7.0
  for (const ch of names) {
    c.reply.bulk(ch);
    c.reply.integer(channels.get(ch)?.size ?? 0);
  }
}

const pubsubIntrospection = clientContainerCommand<Client>('pubsub', [
  // PUBSUB CHANNELS [pattern]
  { name: 'channels', arity: -2, handler: (c) => channelList(c, c.server.pubsub.channels) },
  // PUBSUB NUMSUB [channel ...]
  { name: 'numsub', arity: -2, handler: (c) => numsub(c, c.server.pubsub.channels) },
  // PUBSUB NUMPAT
  { name: 'numpat', arity: 2, handler: (c) => c.reply.integer(c.server.pubsub.patterns.size) },
  // PUBSUB SHARDCHANNELS [pattern]
  { name: 'shardchannels', arity: -2, handler: (c) => channelList(c, c.server.pubsub.shardChannels) },
  // PUBSUB SHARDNUMSUB [shardchannel ...]
  { name: 'shardnumsub', arity: -2, handler: (c) => numsub(c, c.server.pubsub.shardChannels) },
], { flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub', 'slow'] });

const sub = ['pubsub', 'noscript', 'loading', 'stale', 'allow-in-subscribe'] as const;
export const pubsubCommands: BuiltinCommand[] = [
  { needsClient: true, name: 'subscribe', arity: -2, flags: sub, keys: [0, 0, 0], handler: subscribe, categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'psubscribe', arity: -2, flags: sub, keys: [0, 0, 0], handler: psubscribe, categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'unsubscribe', arity: -1, flags: sub, keys: [0, 0, 0], handler: (c: Client) => unsubscribeGeneric(c, 'unsubscribe'), categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'punsubscribe', arity: -1, flags: sub, keys: [0, 0, 0], handler: (c: Client) => unsubscribeGeneric(c, 'punsubscribe'), categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], keys: [0, 0, 0], handler: publish, categories: ['pubsub', 'fast'] },
  // Shard channels are keys to Redis Cluster (they pick the slot): COMMAND INFO shows them as keys.
  { needsClient: true, name: 'ssubscribe', arity: -2, flags: sub, keys: [1, -1, 1], handler: ssubscribe, categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'sunsubscribe', arity: -1, flags: sub, keys: [1, -1, 1], handler: (c: Client) => unsubscribeGeneric(c, 'sunsubscribe'), categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], keys: [1, 1, 1], handler: spublish, categories: ['pubsub', 'fast'] },
  pubsubIntrospection,
];
