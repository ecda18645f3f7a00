// The cluster's layout as the client sees it: parsing CLUSTER SLOTS and the
// MOVED/ASK redirections, and the address map for nodes that announce an
// address the client cannot reach (NAT, containers).
import type { Reply } from '../reply.js';

/** A node's address. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Translates announced node addresses: an object keyed by "host:port", or a
 * function. Addresses it does not know are used as announced.
 */
export type NatMap = Readonly<Record<string, NodeAddress>> | ((address: NodeAddress) => NodeAddress | undefined);

/** One contiguous run of slots and the nodes serving it. */
export interface SlotRange {
  readonly start: number;
  readonly end: number;
  readonly primary: NodeAddress;
  readonly replicas: readonly NodeAddress[];
}

/** A MOVED or ASK error reply, parsed. */
export interface Redirect {
  readonly kind: 'MOVED' | 'ASK';
  readonly slot: number;
  readonly address: NodeAddress;
}

/** "host:port", the key nodes are known by. */
export const addressKey = (address: NodeAddress): string => `${address.host}:${address.port}`;

/** Applies `natMap` to an announced address. */
export function translate(address: NodeAddress, natMap: NatMap | undefined): NodeAddress {
  if (natMap === undefined) return address;
  const mapped = typeof natMap === 'function' ? natMap(address) : natMap[addressKey(address)];
  return mapped ?? address;
}

/**
 * Parses a CLUSTER SLOTS reply. `asked` is the node that answered: a node
 * announcing an empty host (Redis does when it does not know its own address)
 * is reachable there. Throws TypeError on a reply of another shape.
 */
export function parseClusterSlots(reply: Reply, asked: NodeAddress, natMap: NatMap | undefined): SlotRange[] {
  if (!Array.isArray(reply)) throw new TypeError('CLUSTER SLOTS did not answer an array');
  const node = (entry: Reply | undefined): NodeAddress | null => {
    if (!Array.isArray(entry) || entry.length < 2) return null;
    const rawHost = String(entry[0]);
    const port = Number(entry[1]);
    if (!Number.isInteger(port) || port <= 0 || rawHost === '?') return null;
    return translate({ host: rawHost === '' ? asked.host : rawHost, port }, natMap);
  };
  const ranges: SlotRange[] = [];
  for (const row of reply) {
    if (!Array.isArray(row) || row.length < 3) throw new TypeError('CLUSTER SLOTS: malformed slot range');
    const start = Number(row[0]);
    const end = Number(row[1]);
    const primary = node(row[2]);
    if (!Number.isInteger(start) || !Number.isInteger(end) || primary === null) continue;
    const replicas = row.slice(3).map(node).filter((n): n is NodeAddress => n !== null);
    ranges.push({ start, end, primary, replicas });
  }
  return ranges;
}

/**
 * Parses "MOVED 3999 127.0.0.1:6381" or "ASK ..."; null for any other error.
 * An empty host means the host of the node that answered (`from`).
 */
export function parseRedirect(message: string, from: NodeAddress, natMap: NatMap | undefined): Redirect | null {
  const match = /^(MOVED|ASK) (\d+) (.*):(\d+)$/.exec(message);
  if (match === null) return null;
  const [, kind, slot, host, port] = match as unknown as [string, 'MOVED' | 'ASK', string, string, string];
  return { kind, slot: Number(slot), address: translate({ host: host === '' ? from.host : host, port: Number(port) }, natMap) };
}
