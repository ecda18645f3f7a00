// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO
// HELP, after Redis 7.0's xinfoCommand. The maps are RESP3 maps, flattened
// to arrays under RESP2.

import type { CommandContext, CommandSpec } from '../command.js';
import type { StreamEntry, StreamValue } from '../data/stream.js';
import { formatId, MAX_ID, MIN_ID } from '../data/stream-id.js';
import { INVALID_ENTRIES_READ, type ConsumerGroup } from '../data/stream-groups.js';
import { CommandError, NOT_INTEGER, NO_SUCH_KEY } from '../errors.js';
import { parseInt64 } from '../numbers.js';
import { groupLag } from '../data/stream-lag.js';
import { replyEntry } from './stream-common.js';
import { containerCommand, subcommandSyntaxError } from './subcommands.js';

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

/** XINFO's stream: "no such key" when missing. */
function streamOf(ctx: CommandContext): StreamValue {
  const s = ctx.db.readStream(ctx.argv[2]);
  if (s === undefined) throw new CommandError(NO_SUCH_KEY);
  return s;
}

function replyEntriesRead(ctx: CommandContext, g: ConsumerGroup): void {
  if (g.entriesRead === INVALID_ENTRIES_READ) ctx.reply.nullBulk();
  else ctx.reply.integer(g.entriesRead);
}

function replyLag(ctx: CommandContext, s: StreamValue, g: ConsumerGroup): void {
  const lag = groupLag(s, g);
  if (lag === null) ctx.reply.nullBulk();
  else ctx.reply.integer(lag);
}

/* XINFO CONSUMERS key group */
function xinfoConsumers(ctx: CommandContext): void {
  const s = streamOf(ctx);
  const { argv, reply } = ctx;
  const g = s.group(argv[3]);
  if (g === undefined) throw new CommandError(`NOGROUP No such consumer group '${argv[3]}' for key name '${argv[2]}'`);
  const now = ctx.server.now();
  const consumers = g.consumers();
  reply.arrayLen(consumers.length);
  for (const c of consumers) {
    reply.mapLen(3);
    reply.bulk('name');
    reply.bulk(c.name);
    reply.bulk('pending');
    reply.integer(c.pel.size);
    reply.bulk('idle');
    reply.integer(Math.max(0, now - c.seenTime));
  }
}

/* XINFO GROUPS key */
function xinfoGroups(ctx: CommandContext): void {
  const s = streamOf(ctx);
  const reply = ctx.reply;
  const groups = s.groupList();
  reply.arrayLen(groups.length);
  for (const g of groups) {
    reply.mapLen(6);
    reply.bulk('name');
    reply.bulk(g.name);
    reply.bulk('consumers');
    reply.integer(g.consumerCount);
    reply.bulk('pending');
    reply.integer(g.pel.size);
    reply.bulk('last-delivered-id');
    reply.bulk(formatId(g.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(ctx, g);
    reply.bulk('lag');
    replyLag(ctx, s, g);
  }
}

/* XINFO STREAM key [FULL [COUNT count]] */
function xinfoStream(ctx: CommandContext): void {
  const s = streamOf(ctx);
  const { argv, reply } = ctx;
  const opts = argv.length - 3;
  let full = false;
  let count = 10;
  if (opts !== 0) {
    if ((opts !== 1 && opts !== 3) || argv[3].toLowerCase() !== 'full') throw subcommandSyntaxError(ctx);
    full = true;
    if (opts === 3) {
      if (argv[4].toLowerCase() !== 'count') throw subcommandSyntaxError(ctx);
      const n = parseInt64(argv[5]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      count = n < 0n ? 10 : Number(n);
    }
  }
  reply.mapLen(full ? 9 : 10);
  reply.bulk('length');
  reply.integer(s.length);
  reply.bulk('radix-tree-keys');
  reply.integer(s.nodeCount);
  reply.bulk('radix-tree-nodes');
  reply.integer(s.radixTreeNodes());
  reply.bulk('last-generated-id');
  reply.bulk(formatId(s.lastId));
  reply.bulk('max-deleted-entry-id');
  reply.bulk(formatId(s.maxDeletedId));
  reply.bulk('entries-added');
  reply.integer(s.entriesAdded);
  reply.bulk('recorded-first-entry-id');
  reply.bulk(formatId(s.firstLiveId()));
  if (!full) {
    reply.bulk('groups');
    reply.integer(s.groups?.size ?? 0);
    reply.bulk('first-entry');
    replyEdge(ctx, s, false);
    reply.bulk('last-entry');
    replyEdge(ctx, s, true);
    return;
  }
  reply.bulk('entries');
  const entries: StreamEntry[] = [];
  for (const e of s.range(MIN_ID, MAX_ID)) {
    entries.push(e);
    if (entries.length === count) break;
  }
  reply.arrayLen(entries.length);
  for (const e of entries) replyEntry(ctx, e);
  reply.bulk('groups');
  const groups = s.groupList();
  reply.arrayLen(groups.length);
  const limit = (n: number) => (count === 0 ? n : Math.min(n, count));
  for (const g of groups) {
    reply.mapLen(7);
    reply.bulk('name');
    reply.bulk(g.name);
    reply.bulk('last-delivered-id');
    reply.bulk(formatId(g.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(ctx, g);
    reply.bulk('lag');
    replyLag(ctx, s, g);
    reply.bulk('pel-count');
    reply.integer(g.pel.size);
    reply.bulk('pending');
    const n = limit(g.pel.size);
    reply.arrayLen(n);
    for (let i = 0; i < n; i++) {
      const p = g.pel.values[i];
      reply.arrayLen(4);
      reply.bulk(formatId(p.id));
      reply.bulk(p.consumer?.name ?? '');
      reply.integer(p.deliveryTime);
      reply.integer(p.deliveryCount);
    }
    const consumers = g.consumers();
    reply.bulk('consumers');
    reply.arrayLen(consumers.length);
    for (const c of consumers) {
      reply.mapLen(4);
      reply.bulk('name');
      reply.bulk(c.name);
      reply.bulk('seen-time');
      reply.integer(c.seenTime);
      reply.bulk('pel-count');
      reply.integer(c.pel.size);
      reply.bulk('pending');
      const m = limit(c.pel.size);
      reply.arrayLen(m);
      for (let i = 0; i < m; i++) {
        const p = c.pel.values[i];
        reply.arrayLen(3);
        reply.bulk(formatId(p.id));
        reply.integer(p.deliveryTime);
        reply.integer(p.deliveryCount);
      }
    }
  }
}

/** The first or last live entry, or nil. */
function replyEdge(ctx: CommandContext, s: StreamValue, last: boolean): void {
  for (const e of s.range(MIN_ID, MAX_ID, last)) {
    replyEntry(ctx, e);
    return;
  }
  ctx.reply.nullBulk();
}

const KEY2 = [2, 2, 1] as const;

const xinfo = containerCommand(
  'xinfo',
  [
    { name: 'consumers', arity: 4, keys: KEY2, handler: xinfoConsumers },
    { name: 'groups', arity: 3, keys: KEY2, handler: xinfoGroups },
    { name: 'stream', arity: -3, keys: KEY2, handler: xinfoStream },
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      categories: ['stream', 'slow'],
      handler: (ctx) => {
        ctx.reply.arrayLen(XINFO_HELP.length);
        for (const l of XINFO_HELP) ctx.reply.simple(l);
      },
    },
  ],
  { flags: ['readonly'], categories: ['read', 'stream', 'slow'] },
);

export const streamInfoCommands: CommandSpec[] = [
  { ...xinfo, summary: 'Describes a stream, its consumer groups, or the consumers of a group.', syntax: 'CONSUMERS|GROUPS|STREAM|HELP ...' },
];
