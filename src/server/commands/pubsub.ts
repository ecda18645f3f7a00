// SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB.
import type { BuiltinCommand, Client } from '../client.js';
import { globMatch } from '../glob.js';
import { clientContainerCommand, subcommandSyntaxError } from './subcommands.js';

/** The confirmation Redis sends per (un)subscribed channel: [kind, name, count]. */
function confirm(c: Client, kind: string, name: string | null): void {
  c.reply.pushLen(3);
  c.reply.bulk(kind);
  if (name === null) c.reply.nullBulk();
  else c.reply.bulk(name);
  c.reply.integer(c.subscriptionCount);
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

/** UNSUBSCRIBE and PUNSUBSCRIBE: the named ones, or all; a nil name when there were none. */
function unsubscribeGeneric(c: Client, patterns: boolean): void {
  const pubsub = c.server.pubsub;
  const kind = patterns ? 'punsubscribe' : 'unsubscribe';
  const remove = patterns ? (n: string) => pubsub.punsubscribe(c, n) : (n: string) => pubsub.unsubscribe(c, n);
  const names = c.argv.length > 1 ? c.argv.slice(1) : [...(patterns ? c.patterns : c.channels)];
  if (names.length === 0) {
    confirm(c, kind, null);
    return;
  }
  for (const name of names) {
    remove(name);
    confirm(c, kind, name);
  }
}

// PUBLISH channel message
function publish(c: Client): void {
  c.reply.integer(c.server.pubsub.publish(c.argv[1], c.argv[2]));
}

const pubsubIntrospection = clientContainerCommand<Client>('pubsub', [
  // PUBSUB CHANNELS [pattern]
  {
    name: 'channels',
    arity: -2,
    handler: (c) => {
      if (c.argv.length > 3) throw subcommandSyntaxError(c);
      const pattern = c.argv[2];
      const names = [...c.server.pubsub.channels.keys()].filter((ch) => pattern === undefined || globMatch(pattern, ch));
      c.reply.bulkArray(names);
    },
  },
  // PUBSUB NUMSUB [channel ...]
  {
    name: 'numsub',
    arity: -2,
    handler: (c) => {
      const channels = c.server.pubsub.channels;
      const names = c.argv.slice(2);
      c.reply.arrayLen(2 * names.length); // a flat array even in RESP3, as Redis 7.0
      for (const ch of names) {
        c.reply.bulk(ch);
        c.reply.integer(channels.get(ch)?.size ?? 0);
      }
    },
  },
  // PUBSUB NUMPAT
  {
    name: 'numpat',
    arity: 2,
    handler: (c) => c.reply.integer(c.server.pubsub.patterns.size),
  },
  // Sharded pub/sub introspection: simpledb has no shard channels.
  {
    name: 'shardchannels',
    arity: -2,
    handler: (c) => {
      if (c.argv.length > 3) throw subcommandSyntaxError(c);
      c.reply.arrayLen(0);
    },
  },
  {
    name: 'shardnumsub',
    arity: -2,
    handler: (c) => {
      const names = c.argv.slice(2);
      c.reply.arrayLen(2 * names.length); // a flat array even in RESP3, as Redis 7.0
      for (const ch of names) {
        c.reply.bulk(ch);
        c.reply.integer(0);
      }
    },
  },
], { flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub', 'slow'] });

const sub = ['pubsub', 'noscript', 'loading', 'stale', 'allow-in-subscribe'] as const;
export const pubsubCommands: BuiltinCommand[] = [
  { needsClient: true, name: 'subscribe', arity: -2, flags: sub, keys: [0, 0, 0], handler: subscribe, categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'psubscribe', arity: -2, flags: sub, keys: [0, 0, 0], handler: psubscribe, categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'unsubscribe', arity: -1, flags: sub, keys: [0, 0, 0], handler: (c: Client) => unsubscribeGeneric(c, false), categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'punsubscribe', arity: -1, flags: sub, keys: [0, 0, 0], handler: (c: Client) => unsubscribeGeneric(c, true), categories: ['pubsub', 'slow'] },
  { needsClient: true, name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], keys: [0, 0, 0], handler: publish, categories: ['pubsub', 'fast'] },
  pubsubIntrospection,
];
