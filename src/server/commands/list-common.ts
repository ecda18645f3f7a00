// What the list commands and their blocking forms share (lists.ts,
// list-blocking.ts): argument parsers with Redis's errors, and the pops and
// moves with their replies and the commands they propagate as.

import type { CommandContext } from '../command.js';
import { Deque } from '../data/deque.js';
import type { ListValue } from '../database.js';
import { CommandError, SYNTAX } from '../errors.js';
import { parseMultiPop } from './collection-helpers.js';

/** LEFT or RIGHT (any case): true for LEFT. */
export function parseEnd(s: string): boolean {
  const lower = s.toLowerCase();
  if (lower === 'left') return true;
  if (lower === 'right') return false;
  throw new CommandError(SYNTAX);
}

/** A value that is a list with at least one element, or undefined (missing key, wrong type, empty). */
export function nonEmptyList(ctx: CommandContext, key: string): ListValue | undefined {
  const v = ctx.db.get(key);
  return v instanceof Deque && v.length > 0 ? v : undefined;
}

/** Replies with up to count elements popped from one end, as an array, and deletes an emptied list. */
export function popRangeReply(ctx: CommandContext, list: ListValue, left: boolean, count: number): number {
  const n = Math.min(count, list.length);
  const reply = ctx.reply;
  reply.arrayLen(n);
  if (left) for (let i = 0; i < n; i++) reply.bulk(list.popFront() as string);
  else for (let i = 0; i < n; i++) reply.bulk(list.popBack() as string);
  return n;
}

/** LMPOP/BLMPOP's reply: [key, [elements...]]; propagated as LPOP/RPOP key n. */
export function mpopServe(ctx: CommandContext, key: string, list: ListValue, left: boolean, count: number): void {
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(key);
  const n = popRangeReply(ctx, list, left, count);
  ctx.propagate([left ? 'LPOP' : 'RPOP', key, String(n)]);
  ctx.db.modified(key);
}

/** BLPOP/BRPOP's reply: [key, element]; propagated as LPOP/RPOP key. */
export function popOneServe(ctx: CommandContext, key: string, list: ListValue, left: boolean): void {
  const value = (left ? list.popFront() : list.popBack()) as string;
  ctx.reply.arrayLen(2);
  ctx.reply.bulk(key);
  ctx.reply.bulk(value);
  ctx.propagate([left ? 'LPOP' : 'RPOP', key]);
  ctx.db.modified(key);
}

/** Moves one element from src to dst (both lists; dst may be missing) and replies with it. */
export function moveElement(ctx: CommandContext, src: string, srcList: ListValue, dst: string, dstList: ListValue | undefined, fromLeft: boolean, toLeft: boolean): void {
  const value = (fromLeft ? srcList.popFront() : srcList.popBack()) as string;
  if (dstList === undefined) {
    dstList = new Deque<string>();
    ctx.db.add(dst, dstList);
  }
  if (toLeft) dstList.pushFront(value);
  else dstList.pushBack(value);
  ctx.reply.bulk(value);
  ctx.db.modified(dst);
  if (src !== dst) ctx.db.modified(src);
}

/** RPOPLPUSH and LMOVE: nil when the source is missing; WRONGTYPE for the destination leaves the source untouched. */
export function lmoveGeneric(ctx: CommandContext, fromLeft: boolean, toLeft: boolean): boolean {
  const { argv, db } = ctx;
  const src = argv[1];
  const dst = argv[2];
  const srcList = db.getList(src);
  if (srcList === undefined) {
    ctx.reply.nullBulk();
    return false;
  }
  const dstList = db.getList(dst);
  moveElement(ctx, src, srcList, dst, dstList, fromLeft, toLeft);
  return true;
}

/** LMPOP and BLMPOP arguments from numkeysIdx on: numkeys key... LEFT|RIGHT [COUNT count]. */
export function parseMpop(argv: readonly string[], numkeysIdx: number): { keys: string[]; left: boolean; count: number } {
  const { keys, first, count } = parseMultiPop(argv, numkeysIdx, 'left', 'right');
  return { keys, left: first, count };
}
