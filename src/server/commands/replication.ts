// ROLE and WAIT (Redis's replication.c) for a server that is always a
// primary without replicas: ROLE says so, WAIT counts zero acknowledgements,
// at once when it asks for none (or runs inside MULTI), else after its timeout.

import type { CommandContext, CommandSpec } from '../command.js';
import { CommandError, NOT_INTEGER } from '../errors.js';
import { parseInt64 } from '../numbers.js';

const INT64_MAX = 2n ** 63n - 1n;

// ROLE
function role(ctx: CommandContext): void {
  ctx.reply.arrayLen(3);
  ctx.reply.bulk('master');
  ctx.reply.integer(0); // replication offset
  ctx.reply.arrayLen(0); // replicas
}

/** A millisecond timeout with getTimeoutFromObjectOrReply's errors. */
function parseWaitTimeout(ctx: CommandContext, arg: string): number {
  const ms = parseInt64(arg);
  if (ms === null) throw new CommandError('ERR timeout is not an integer or out of range');
  if (ms < 0n) throw new CommandError('ERR timeout is negative');
  if (ms > 0n && ms > INT64_MAX - BigInt(ctx.server.now())) throw new CommandError('ERR timeout is out of range');
  return Number(ms);
}

// WAIT numreplicas timeout
function wait(ctx: CommandContext): void {
  const wanted = parseInt64(ctx.argv[1]);
  if (wanted === null) throw new CommandError(NOT_INTEGER);
  const timeoutMs = parseWaitTimeout(ctx, ctx.argv[2]);
  if (wanted <= 0n || ctx.mustNotBlock) {
    ctx.reply.integer(0);
    return;
  }
  // No replica will ever acknowledge: wait out the timeout (forever for 0), as Redis does.
  ctx.block({ keys: [], timeoutMs, tryServe: () => false, onTimeout: (reply) => reply.integer(0) });
}

export const replicationCommands: CommandSpec[] = [
  { name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast'], keys: [0, 0, 0], handler: role, categories: ['admin', 'fast', 'dangerous'], summary: 'Tells the replication role: always a primary without replicas.', syntax: '' },
  { name: 'wait', arity: 3, flags: ['noscript'], keys: [0, 0, 0], handler: wait, categories: ['slow', 'connection'], summary: 'Waits for replicas to acknowledge writes: with none, 0 (after the timeout when it asks for any).', syntax: 'numreplicas timeout' },
];
