// Sharded pub/sub for a cluster client. Unlike PUBLISH, which the cluster bus
// copies to every node, SPUBLISH stays within the shard owning the channel's
// slot, so each shard channel is subscribed on its slot's primary: one
// connection per primary that holds shard channels. When the map says a slot
// has a new owner (failover, migration), or a node drops a channel because its
// slot left (Redis sends an unasked sunsubscribe), the channel is subscribed
// again on the new owner.
import { ReplyError } from '../errors.js';
import type { RedisClient } from '../redis-client.js';
import { Subscriptions, subscriptionNames, type MessageListener } from '../pub-sub.js';
import { keySlot } from './slot.js';
import type { ClusterNode, Topology } from './topology.js';

/** Where shard messages go besides the per-channel listeners: the cluster's 'smessage' event. */
export interface ShardMessageOutlet {
  listening(event: 'smessage'): boolean;
  smessage(channel: string, message: string): void;
}

// A channel whose node dropped it: placed again wherever the next map says.
const UNPLACED = '';

/** The cluster's shard-channel connections, and the registry they are rebuilt from. */
export class ShardSubscriber {
  private readonly clients = new Map<string, RedisClient>();
  private readonly registry = new Subscriptions();
  // Shard channel -> key ("host:port") of the node it is subscribed on.
  private readonly placed = new Map<string, string>();

  constructor(
    private readonly topology: Topology,
    private readonly outlet: ShardMessageOutlet,
  ) {}

  async ssubscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void> {
    const names = subscriptionNames(channels, 'shard channels') as string[];
    if (!this.topology.loaded) await this.topology.refresh();
    this.registry.addShardChannels(names, listener);
    await Promise.all(names.map((name) => this.place(name, listener === undefined ? [] : [listener])));
  }

  async sunsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void> {
    const names = subscriptionNames(channels, 'shard channels') ?? [...this.registry.shardChannels.keys()];
    const gone = new Set(this.registry.removeShardChannels(names, listener));
    const leaving: Promise<void>[] = [];
    for (const name of names) {
      const client = this.clients.get(this.placed.get(name) ?? UNPLACED);
      if (client !== undefined) leaving.push(client.sunsubscribe(name, listener));
      if (gone.has(name)) this.placed.delete(name);
    }
    await Promise.all(leaving);
    this.closeIdle();
  }

  /** After a map refresh: channels whose slot has another owner now move there. */
  check(): void {
    for (const [channel, key] of this.placed) {
      const owner = this.topology.owner(keySlot(channel));
      if (owner === undefined || owner.key === key) continue;
      this.clients.get(key)?.sunsubscribe(channel).catch(() => undefined);
      this.place(channel, [...(this.registry.shardChannels.get(channel) ?? [])]).catch(() => undefined);
    }
    this.closeIdle();
  }

  async close(graceful: boolean): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => (graceful ? c.quit() : c.disconnect())));
  }

  /** Subscribes `channel` on its slot's owner, once per listener (once with none). */
  private place(channel: string, listeners: MessageListener[]): Promise<void> {
    const owner = this.topology.owner(keySlot(channel));
    if (owner === undefined) return Promise.reject(new Error(`No cluster primary is known for the slot of shard channel ${channel}`));
    const client = this.connection(owner);
    this.placed.set(channel, owner.key);
    if (listeners.length === 0) return client.ssubscribe(channel);
    return Promise.all(listeners.map((l) => client.ssubscribe(channel, l))).then(() => undefined);
  }

  /** Connections that hold no channel any more are closed (e.g. to a node that stopped being a primary). */
  private closeIdle(): void {
    const used = new Set(this.placed.values());
    for (const [key, client] of this.clients) {
      if (used.has(key)) continue;
      this.clients.delete(key);
      client.disconnect();
    }
  }

  private connection(node: ClusterNode): RedisClient {
    let client = this.clients.get(node.key);
    if (client !== undefined) return client;
    client = this.topology.open(node.address);
    client.on('error', (err) => {
      // Restoring a channel after a reconnect met MOVED: its slot left while we were away; the new map moves it.
      if (err instanceof ReplyError && err.code === 'MOVED') this.topology.refresh().catch(() => undefined);
    });
    client.on('smessage', (channel, message) => {
      if (this.outlet.listening('smessage')) this.outlet.smessage(channel, message);
    });
    client.on('sunsubscribed', (channel) => {
      // The node gave the channel's slot away: find the new owner and subscribe there.
      if (!this.placed.has(channel)) return;
      this.placed.set(channel, UNPLACED);
      this.topology.refresh().catch(() => undefined);
    });
    this.clients.set(node.key, client);
    return client;
  }
}
