// What a cluster client knows of the cluster: the primary owning each slot,
// one pipelined RedisClient per primary (and, when reads may go to replicas,
// one READONLY RedisClient per replica), and how that knowledge is refreshed
// (from CLUSTER SHARDS, or CLUSTER SLOTS where a server refuses SHARDS, asked
// of a node that answers). A primary that leaves the
// map is let go: quit if it still answers (its queued commands are answered,
// with MOVED at worst), disconnected if not (its unwritten commands fail as
// unwritten, so the cluster can send them to the new owner).
import { ConnectionClosedError, ReplyError } from '../errors.js';
import type { RedisClientOptions } from '../options.js';
import { RedisClient } from '../redis-client.js';
import type { Reply } from '../reply.js';
import { addressKey, parseClusterShards, parseClusterSlots, type NatMap, type NodeAddress, type SlotRange } from './slot-map.js';
import { SLOT_COUNT } from './slot.js';

/**
 * Where read-only commands go: 'primary' (everything to primaries, the
 * default), 'replica' (a replica of the slot's primary that is connected, the
 * primary when none is), 'any' (the primary and its connected replicas in turn).
 */
export type ReadFrom = 'primary' | 'replica' | 'any';

/** A node and its connection. */
export interface ClusterNode {
  readonly key: string;
  readonly address: NodeAddress;
  readonly client: RedisClient;
}

/** What the topology tells the cluster facade. */
export interface TopologyEvents {
  error(error: Error): void;
  /** A primary's connection is up (again). */
  nodeReady(): void;
  /** A primary's connection was lost; its client retries after `delay`. */
  nodeReconnecting(info: { attempt: number; delay: number; error: Error | undefined }): void;
  /** A new slot map is in place. */
  refreshed(): void;
}

// Refreshes closer together than this are merged into one.
const MIN_REFRESH_INTERVAL_MS = 100;
// How long a node may take to answer CLUSTER SHARDS/SLOTS before the next one is asked.
const SLOTS_QUERY_TIMEOUT_MS = 2000;

/** The slot map and the primaries' connections. */
export class Topology {
  private readonly owners: (ClusterNode | undefined)[] = new Array<ClusterNode | undefined>(SLOT_COUNT);
  private readonly nodes = new Map<string, ClusterNode>();
  /** Connections to replicas (READONLY), only when reads may go there. */
  private readonly replicaNodes = new Map<string, ClusterNode>();
  /** A primary's key -> its replicas' nodes. */
  private readonly replicasOf = new Map<string, ClusterNode[]>();
  /** Round-robin position among the nodes that may serve a read. */
  private turn = 0;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private lastRefresh = 0;
  private closed = false;
  /** Set once a node answered CLUSTER SHARDS with an error (Redis before 7.0, or an ACL): SLOTS from then on. */
  private shardsRefused = false;

  constructor(
    private readonly seeds: readonly NodeAddress[],
    private readonly clientOptions: RedisClientOptions,
    private readonly natMap: NatMap | undefined,
    private readonly events: TopologyEvents,
    private readonly readFrom: ReadFrom = 'primary',
  ) {}

  /** Whether a slot map has been loaded. */
  get loaded(): boolean {
    return this.lastRefresh > 0;
  }

  /** The owner of `slot`, or undefined when the map does not cover it. */
  owner(slot: number): ClusterNode | undefined {
    return this.owners[slot];
  }

  /**
   * The node to send a read-only command for `slot` to, per `readFrom`: a
   * connected replica of the slot's primary (or the primary among them for
   * 'any'), and the primary itself when no replica is connected.
   */
  reader(slot: number): ClusterNode | undefined {
    const owner = this.owners[slot];
    if (owner === undefined || this.readFrom === 'primary') return owner;
    const replicas = this.replicasOf.get(owner.key);
    if (replicas === undefined) return owner;
    const pool = replicas.filter((n) => n.client.status === 'ready');
    if (this.readFrom === 'any') pool.push(owner);
    if (pool.length === 0) return owner;
    this.turn = (this.turn + 1) % 1_000_000;
    return pool[this.turn % pool.length];
  }

  /** Some primary, for keyless commands. */
  anyNode(): ClusterNode | undefined {
    for (const node of this.nodes.values()) if (node.client.status === 'ready') return node;
    return this.nodes.values().next().value;
  }

  /** The connection to `address`, opened if new (a MOVED/ASK target the map does not know yet). */
  node(address: NodeAddress): ClusterNode {
    const key = addressKey(address);
    let node = this.nodes.get(key);
    if (node === undefined) {
      node = this.connectTo(address, false);
      this.nodes.set(key, node);
    }
    return node;
  }

  /** A node with a connection of its own, its events reported; `replica`: READONLY, its ready/reconnecting kept quiet. */
  private connectTo(address: NodeAddress, replica: boolean): ClusterNode {
    const client = this.open(address, replica ? { readOnly: true } : {});
    client.on('error', (err) => this.events.error(err));
    if (!replica) client.on('ready', () => this.events.nodeReady());
    client.on('reconnecting', (info) => {
      if (!replica) this.events.nodeReconnecting(info);
      // A node that stops answering may have failed over: look again.
      void this.refresh().catch(() => undefined);
    });
    return { key: addressKey(address), address, client };
  }

  /** A new connection to `address` with the cluster's connection options. */
  open(address: NodeAddress, overrides: RedisClientOptions = {}): RedisClient {
    return new RedisClient({ ...this.clientOptions, host: address.host, port: address.port, ...overrides });
  }

  /** Whether `key` ("host:port") is a primary in the current map. */
  isPrimary(key: string): boolean {
    return this.nodes.has(key);
  }

  /** A MOVED redirect: `slot` belongs to `address` from now on (until the next refresh says otherwise). */
  moved(slot: number, address: NodeAddress): ClusterNode {
    const node = this.node(address);
    this.owners[slot] = node;
    return node;
  }

  /** Every primary currently known. */
  primaries(): ClusterNode[] {
    return [...this.nodes.values()];
  }

  /** Every replica connection (none unless reads may go to replicas). */
  replicas(): ClusterNode[] {
    return [...this.replicaNodes.values()];
  }

  /**
   * Reloads the slot map. Concurrent calls share one refresh; one asked for
   * while a refresh runs starts another once it is done (the cluster may have
   * changed in between). Rejects when no node answers.
   */
  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.refreshing !== null) {
      this.again = true;
      return this.refreshing;
    }
    const wait = Math.max(0, this.lastRefresh + MIN_REFRESH_INTERVAL_MS - Date.now());
    const run = async (): Promise<void> => {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again && !this.closed);
      } finally {
        this.refreshing = null;
      }
    };
    this.refreshing = run();
    return this.refreshing;
  }

  /** Closes every connection: gracefully (QUIT) or at once. */
  async close(graceful: boolean): Promise<void> {
    this.closed = true;
    const nodes = [...this.nodes.values(), ...this.replicaNodes.values()];
    this.nodes.clear();
    this.replicaNodes.clear();
    this.replicasOf.clear();
    this.owners.fill(undefined);
    if (graceful) await Promise.all(nodes.map((n) => n.client.quit()));
    else for (const n of nodes) n.client.disconnect();
  }

  private async load(): Promise<void> {
    const candidates: NodeAddress[] = [];
    const seen = new Set<string>();
    const consider = (a: NodeAddress): void => {
      if (!seen.has(addressKey(a))) {
        seen.add(addressKey(a));
        candidates.push(a);
      }
    };
    // Nodes known to answer first, then the seeds, then the rest.
    for (const n of this.nodes.values()) if (n.client.status === 'ready') consider(n.address);
    for (const s of this.seeds) consider(s);
    for (const n of this.nodes.values()) consider(n.address);
    let lastError: unknown;
    for (const address of candidates) {
      if (this.closed) return;
      try {
        const ranges = await this.askMap(address);
        if (ranges.length === 0) throw new Error(`${addressKey(address)} serves no slots yet`);
        this.apply(ranges);
        return;
      } catch (err) {
        lastError = err;
      }
    }
    throw new ConnectionClosedError('No cluster node answered CLUSTER SHARDS or SLOTS', { command: 'CLUSTER', cause: lastError });
  }

  /**
   * The slot ranges as `address` sees them. CLUSTER SHARDS is what Redis 7
   * offers clients in place of SLOTS (deprecated there): it says which
   * replicas are online, where SLOTS lists replicas still loading their data.
   * A server that answers SHARDS with "unknown subcommand" does not have it
   * (before 7.0), one that answers NOPERM may not run it (ACL): SLOTS is
   * asked then and from then on. Other errors (LOADING, ...) are the node's
   * state, not its version: the next node is asked. A SHARDS
   * map that leaves slots uncovered is checked against SLOTS, which Redis
   * fills from the slot table itself: while a primary has failed over some
   * SHARDS replies list the shard's slots under the failed primary only.
   */
  private async askMap(address: NodeAddress): Promise<SlotRange[]> {
    if (!this.shardsRefused) {
      let reply: Reply;
      try {
        reply = await this.ask(address, 'SHARDS');
      } catch (err) {
        if (!refusesShards(err)) throw err;
        this.shardsRefused = true;
        return parseClusterSlots(await this.ask(address, 'SLOTS'), address, this.natMap);
      }
      const ranges = parseClusterShards(reply, address, this.natMap);
      if (covered(ranges) === SLOT_COUNT) return ranges;
      const fromSlots = parseClusterSlots(await this.ask(address, 'SLOTS'), address, this.natMap);
      return covered(fromSlots) > covered(ranges) ? fromSlots : ranges;
    }
    return parseClusterSlots(await this.ask(address, 'SLOTS'), address, this.natMap);
  }

  /** CLUSTER `subcommand` on `address`, bounded in time. */
  private async ask(address: NodeAddress, subcommand: 'SHARDS' | 'SLOTS'): Promise<Reply> {
    const known = this.nodes.get(addressKey(address));
    // A connection of our own only when it answers now; otherwise a one-off client that gives up at once.
    const client =
      known !== undefined && known.client.status === 'ready'
        ? known.client
        : this.open(address, { retryStrategy: () => null, connectTimeout: SLOTS_QUERY_TIMEOUT_MS, lazyConnect: false });
    const oneOff = client !== known?.client;
    if (oneOff) client.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        client.call('CLUSTER', subcommand),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${addressKey(address)} did not answer CLUSTER ${subcommand}`)), SLOTS_QUERY_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (oneOff) client.disconnect();
    }
  }

  /** Opens connections to the replicas of `ranges` not known yet, and lets go of those no longer listed. */
  private applyReplicas(ranges: readonly SlotRange[]): void {
    const listed = new Set<string>();
    this.replicasOf.clear();
    for (const range of ranges) {
      const primary = addressKey(range.primary);
      if (this.replicasOf.has(primary)) continue; // a primary's other ranges list the same replicas
      const replicas: ClusterNode[] = [];
      for (const address of range.replicas) {
        const key = addressKey(address);
        if (this.nodes.has(key)) continue; // a replica the map also names a primary: mid-failover
        let node = this.replicaNodes.get(key);
        if (node === undefined) {
          node = this.connectTo(address, true);
          this.replicaNodes.set(key, node);
        }
        listed.add(key);
        replicas.push(node);
      }
      this.replicasOf.set(primary, replicas);
    }
    letGo(this.replicaNodes, listed);
  }

  private apply(ranges: readonly SlotRange[]): void {
    const owners = new Array<ClusterNode | undefined>(SLOT_COUNT);
    const primaries = new Set<string>();
    for (const range of ranges) {
      const node = this.node(range.primary);
      primaries.add(node.key);
      for (let slot = range.start; slot <= range.end && slot < SLOT_COUNT; slot++) owners[slot] = node;
    }
    for (let slot = 0; slot < SLOT_COUNT; slot++) this.owners[slot] = owners[slot];
    letGo(this.nodes, primaries);
    if (this.readFrom !== 'primary') this.applyReplicas(ranges);
    this.lastRefresh = Date.now();
    this.events.refreshed();
  }
}

/** How many slots `ranges` assign. */
function covered(ranges: readonly SlotRange[]): number {
  let count = 0;
  for (const r of ranges) count += Math.max(0, Math.min(r.end, SLOT_COUNT - 1) - r.start + 1);
  return count;
}

/** Whether `err` says the server has no CLUSTER SHARDS or will not let us run it. */
function refusesShards(err: unknown): boolean {
  return err instanceof ReplyError && (err.code === 'NOPERM' || /unknown (sub)?command/i.test(err.message));
}

/**
 * Drops from `nodes` every node not in `keep`: quit if it still answers (its
 * queued commands are answered, with MOVED at worst), disconnected if not (its
 * unwritten commands fail as unwritten, so they can go to the new owner).
 */
function letGo(nodes: Map<string, ClusterNode>, keep: ReadonlySet<string>): void {
  for (const [key, node] of nodes) {
    if (keep.has(key)) continue;
    nodes.delete(key);
    if (node.client.status === 'ready') void node.client.quit();
    else node.client.disconnect();
  }
}
