// SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB.
import type { CommandContext, CommandSpec } from '../command.js';
import type { Client } from '../client.js';
import { globMatch } from '../glob.js';
import { asClient } from './connection.js';
import { subcommandDispatcher, subcommandSyntaxError } from './subcommands.js';

/** The confirmation Redis sends per (un)subscribed channel: [kind, name, count]. */
function confirm(c: Client, kind: string, name: string | null): void {
  c.reply.pushLen(3);
  c.reply.bulk(kind);
  if (name === null) c.reply.nullBulk();
  else c.reply.bulk(name);
  c.reply.integer(c.subscriptionCount);
}

// SUBSCRIBE channel [channel ...]
function subscribe(ctx: CommandContext): void {
  const c = asClient(ctx);
  for (let i = 1; i < ctx.argv.length; i++) {
    c.server.pubsub.subscribe(c, ctx.argv[i]);
    confirm(c, 'subscribe', ctx.argv[i]);
  }
}

// PSUBSCRIBE pattern [pattern ...]
function psubscribe(ctx: CommandContext): void {
  const c = asClient(ctx);
  for (let i = 1; i < ctx.argv.length; i++) {
    c.server.pubsub.psubscribe(c, ctx.argv[i]);
    confirm(c, 'psubscribe', ctx.argv[i]);
  }
}

/** UNSUBSCRIBE and PUNSUBSCRIBE: the named ones, or all; a nil name when there were none. */
function unsubscribeGeneric(ctx: CommandContext, patterns: boolean): void {
  const c = asClient(ctx);
  const pubsub = c.server.pubsub;
  const kind = patterns ? 'punsubscribe' : 'unsubscribe';
  const remove = patterns ? (n: string) => pubsub.punsubscribe(c, n) : (n: string) => pubsub.unsubscribe(c, n);
  const names = ctx.argv.length > 1 ? ctx.argv.slice(1) : [...(patterns ? c.patterns : c.channels)];
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
function publish(ctx: CommandContext): void {
  ctx.reply.integer(asClient(ctx).server.pubsub.publish(ctx.argv[1], ctx.argv[2]));
}

const pubsubIntrospection = subcommandDispatcher('pubsub', [
  // PUBSUB CHANNELS [pattern]
  {
    name: 'channels',
    arity: -2,
    handler: (ctx) => {
      if (ctx.argv.length > 3) throw subcommandSyntaxError(ctx);
      const pattern = ctx.argv[2];
      const names = [...asClient(ctx).server.pubsub.channels.keys()].filter((ch) => pattern === undefined || globMatch(pattern, ch));
      ctx.reply.bulkArray(names);
    },
  },
  // PUBSUB NUMSUB [channel ...]
  {
    name: 'numsub',
    arity: -2,
    handler: (ctx) => {
      const channels = asClient(ctx).server.pubsub.channels;
      const names = ctx.argv.slice(2);
      ctx.reply.arrayLen(2 * names.length); // a flat array even in RESP3, as Redis 7.0
      for (const ch of names) {
        ctx.reply.bulk(ch);
        ctx.reply.integer(channels.get(ch)?.size ?? 0);
      }
    },
  },
  // PUBSUB NUMPAT
  {
    name: 'numpat',
    arity: 2,
    handler: (ctx) => ctx.reply.integer(asClient(ctx).server.pubsub.patterns.size),
  },
  // Sharded pub/sub introspection: simpledb has no shard channels.
  {
    name: 'shardchannels',
    arity: -2,
    handler: (ctx) => {
      if (ctx.argv.length > 3) throw subcommandSyntaxError(ctx);
      ctx.reply.arrayLen(0);
    },
  },
  {
    name: 'shardnumsub',
    arity: -2,
    handler: (ctx) => {
      const names = ctx.argv.slice(2);
      ctx.reply.arrayLen(2 * names.length); // a flat array even in RESP3, as Redis 7.0
      for (const ch of names) {
        ctx.reply.bulk(ch);
        ctx.reply.integer(0);
      }
    },
  },
], { flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub', 'slow'] });

const sub = ['pubsub', 'noscript', 'loading', 'stale', 'allow-in-subscribe'] as const;
export const pubsubCommands: CommandSpec[] = [
  { name: 'subscribe', arity: -2, flags: sub, keys: [0, 0, 0], handler: subscribe, categories: ['pubsub', 'slow'] },
  { name: 'psubscribe', arity: -2, flags: sub, keys: [0, 0, 0], handler: psubscribe, categories: ['pubsub', 'slow'] },
  { name: 'unsubscribe', arity: -1, flags: sub, keys: [0, 0, 0], handler: (ctx) => unsubscribeGeneric(ctx, false), categories: ['pubsub', 'slow'] },
  { name: 'punsubscribe', arity: -1, flags: sub, keys: [0, 0, 0], handler: (ctx) => unsubscribeGeneric(ctx, true), categories: ['pubsub', 'slow'] },
  { name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], keys: [0, 0, 0], handler: publish, categories: ['pubsub', 'fast'] },
  pubsubIntrospection,
];
