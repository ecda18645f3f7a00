// MEMORY USAGE | PURGE | MALLOC-STATS | HELP. USAGE replies an estimate of what
// Redis 7.0 would spend on the key (data/memory-estimate.ts), with Redis's
// argument checks; the rest answer as a server without jemalloc statistics.

import type { CommandContext, CommandSpec } from '../command.js';
import { estimateUsage } from '../data/memory-estimate.js';
import { CommandError, NOT_INTEGER, syntaxError } from '../errors.js';
import { formatDouble, parseInt64 } from '../numbers.js';
import { stringEncodingOf } from './object.js';
import { containerCommand } from './subcommands.js';

const MEMORY_HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

/** Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
const DEFAULT_SAMPLES = 5;

// MEMORY USAGE key [SAMPLES count]
function memoryUsage(ctx: CommandContext): void {
  const { argv, db } = ctx;
  let samples = DEFAULT_SAMPLES;
  // Options are checked before the key is looked up, as in Redis.
  for (let j = 3; j < argv.length; j++) {
    if (argv[j].toLowerCase() === 'samples' && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      if (n < 0n) throw syntaxError();
      samples = n > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(n);
    } else {
      throw syntaxError();
    }
  }
  const key = argv[2];
  const value = db.peek(key);
  if (value === undefined) return ctx.reply.nullBulk();
  const stringEncoding = typeof value === 'string' ? stringEncodingOf(db, key, value) : 'raw';
  ctx.reply.integer(estimateUsage({ key, value, stringEncoding, samples, limits: db.limits, formatScore: formatDouble }));
}

// MEMORY PURGE: there are no allocator pages to give back.
function memoryPurge(ctx: CommandContext): void {
  ctx.reply.ok();
}

// MEMORY MALLOC-STATS: what a Redis built without jemalloc answers.
function memoryMallocStats(ctx: CommandContext): void {
  ctx.reply.bulk('Stats not supported for the current allocator');
}

const memory = containerCommand(
  'memory',
  [
    { name: 'usage', arity: -3, keys: [2, 2, 1], flags: ['readonly'], categories: ['read', 'slow'], handler: memoryUsage },
    { name: 'purge', arity: 2, handler: memoryPurge },
    { name: 'malloc-stats', arity: 2, handler: memoryMallocStats },
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      categories: ['slow'],
      handler: (ctx) => {
        ctx.reply.arrayLen(MEMORY_HELP.length);
        for (const l of MEMORY_HELP) ctx.reply.simple(l);
      },
    },
  ],
  { flags: [], categories: ['slow'] },
);

export const memoryCommands: CommandSpec[] = [
  { ...memory, summary: 'Estimates the memory a key would take in Redis; allocator housekeeping.', syntax: 'USAGE|PURGE|MALLOC-STATS|HELP ...' },
];
