// How many nodes Redis's radix tree (rax.c) uses for a set of keys, which
// XINFO STREAM reports as radix-tree-nodes. A stream's tree is keyed by its
// nodes' first IDs, 16 bytes each (ms and seq, big-endian), so every key has
// the same length and none is a prefix of another.
//
// rax keeps its tree compressed: a run of bytes where the keys do not fork
// is one node, a fork is one node holding the bytes of its branches, and
// every key ends in an empty leaf node. An empty tree is one empty node.

import type { StreamId } from './stream-id.js';

const KEY_BYTES = 16;

function keyBytes(id: StreamId): Uint8Array {
  const b = new Uint8Array(KEY_BYTES);
  const view = new DataView(b.buffer);
  view.setBigUint64(0, id.ms);
  view.setBigUint64(8, id.seq);
  return b;
}

/** Nodes under keys[from..to) (sorted, sharing bytes before depth). */
function count(keys: Uint8Array[], from: number, to: number, depth: number): number {
  if (depth === KEY_BYTES) return 1;
  // Bytes all keys share from depth on: one compressed node.
  let same = depth;
  while (same < KEY_BYTES && keys[from][same] === keys[to - 1][same]) same++;
  if (same > depth) return 1 + count(keys, from, to, same);
  // A fork: one node, then one subtree per distinct byte.
  let nodes = 1;
  for (let i = from; i < to; ) {
    let j = i + 1;
    while (j < to && keys[j][depth] === keys[i][depth]) j++;
    nodes += count(keys, i, j, depth + 1);
    i = j;
  }
  return nodes;
}

/** rax's numnodes for a tree holding these IDs, given in ascending order. */
export function raxNodeCount(ids: readonly StreamId[]): number {
  if (ids.length === 0) return 1;
  const keys = ids.map(keyBytes);
  return count(keys, 0, keys.length, 0);
}
