// The cluster's layout as the client sees it: parsing CLUSTER SHARDS (Redis
// 7+), CLUSTER SLOTS (older servers) and the MOVED/ASK redirections, and the address map for nodes that announce an
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
 * An announced endpoint as a reachable address: an empty or missing host means
 * "the host you asked" (Redis sends one when it does not know its own
 * address, or for cluster-preferred-endpoint-type unknown-endpoint), '?' an
 * address not known at all (null).
 */
function announced(rawHost: Reply | undefined, rawPort: Reply | undefined, asked: NodeAddress, natMap: NatMap | undefined): NodeAddress | null {
  const host = rawHost === null || rawHost === undefined ? '' : String(rawHost);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port <= 0 || host === '?') return null;
  return translate({ host: host === '' ? asked.host : host, port }, natMap);
}

/**
 * Parses a CLUSTER SLOTS reply. `asked` is the node that answered (see
 * {@link announced}). Throws TypeError on a reply of another shape.
 */
export function parseClusterSlots(reply: Reply, asked: NodeAddress, natMap: NatMap | undefined): SlotRange[] {
  if (!Array.isArray(reply)) throw new TypeError('CLUSTER SLOTS did not answer an array');
  const node = (entry: Reply | undefined): NodeAddress | null =>
    Array.isArray(entry) && entry.length >= 2 ? announced(entry[0], entry[1], asked, natMap) : null;
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

/** The fields of a CLUSTER SHARDS record: a RESP3 map, or RESP2's flat name, value, name, value list. */
function fields(record: Reply | undefined, what: string): Map<string, Reply> {
  const out = new Map<string, Reply>();
  if (record instanceof Map) {
    for (const [k, v] of record) out.set(String(k), v);
  } else if (Array.isArray(record) && record.length % 2 === 0) {
    for (let i = 0; i < record.length; i += 2) out.set(String(record[i]), record[i + 1] as Reply);
  } else {
    throw new TypeError(`CLUSTER SHARDS: malformed ${what}`);
  }
  return out;
}

/**
 * Parses a CLUSTER SHARDS reply (Redis 7+) into the same ranges as CLUSTER
 * SLOTS. A shard's primary is its node with role master that is not failed
 * (after a failover a shard can list its old, failed primary beside the new
 * one); its replicas are those not failed. Health "loading" is kept: Redis
 * derives it from a replication offset of 0 as gossiped, which a connected
 * replica of a fresh cluster shows for seconds (a read that meets a replica
 * really loading gets LOADING, and RedisCluster asks the primary instead).
 * Throws TypeError on a reply of another shape.
 */
export function parseClusterShards(reply: Reply, asked: NodeAddress, natMap: NatMap | undefined): SlotRange[] {
  if (!Array.isArray(reply)) throw new TypeError('CLUSTER SHARDS did not answer an array');
  const ranges: SlotRange[] = [];
  for (const shard of reply) {
    const info = fields(shard, 'shard');
    const slots = info.get('slots');
    const nodes = info.get('nodes');
    if (!Array.isArray(slots) || !Array.isArray(nodes)) throw new TypeError('CLUSTER SHARDS: a shard without slots or nodes');
    let primary: NodeAddress | null = null;
    const replicas: NodeAddress[] = [];
    for (const entry of nodes) {
      const node = fields(entry, 'node');
      const address = announced(node.get('endpoint'), node.get('port'), asked, natMap);
      // Redis 7 says "fail"; its documentation says "failed".
      const health = String(node.get('health'));
      if (address === null || health.startsWith('fail')) continue;
      if (node.get('role') === 'master') primary = address;
      else replicas.push(address);
    }
    if (primary === null) continue;
    for (let i = 0; i + 1 < slots.length; i += 2) {
      const start = Number(slots[i]);
      const end = Number(slots[i + 1]);
      if (Number.isInteger(start) && Number.isInteger(end)) ranges.push({ start, end, primary, replicas });
    }
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
