// Pub/sub for a cluster client. Redis Cluster delivers every PUBLISH to every
// node, so one subscriber connection to any primary is enough; when that node
// leaves the map (failover, removal) the subscriptions move to another primary.
import type { RedisClient } from '../redis-client.js';
import { Subscriptions, subscriptionNames, type MessageListener, type PatternListener } from '../pub-sub.js';
import { addressKey } from './slot-map.js';
import type { Topology } from './topology.js';

/** Where messages go besides the per-channel listeners: the cluster's events. */
export interface ClusterMessageOutlet {
  listening(event: 'message' | 'pmessage'): boolean;
  message(channel: string, message: string): void;
  pmessage(pattern: string, channel: string, message: string): void;
}

/** The cluster's one subscriber connection and the registry it is rebuilt from. */
export class ClusterSubscriber {
  private client: RedisClient | null = null;
  private nodeKey = '';
  private readonly registry = new Subscriptions();

  constructor(
    private readonly topology: Topology,
    private readonly outlet: ClusterMessageOutlet,
  ) {}

  async subscribe(channels: string | readonly string[], listener?: MessageListener): Promise<void> {
    const names = subscriptionNames(channels, 'channels') as string[];
    const client = await this.connection();
    this.registry.addChannels(names, listener);
    await client.subscribe(names, listener);
  }

  async psubscribe(patterns: string | readonly string[], listener?: PatternListener): Promise<void> {
    const names = subscriptionNames(patterns, 'patterns') as string[];
    const client = await this.connection();
    this.registry.addPatterns(names, listener);
    await client.psubscribe(names, listener);
  }

  async unsubscribe(channels?: string | readonly string[], listener?: MessageListener): Promise<void> {
    const names = subscriptionNames(channels, 'channels') ?? [...this.registry.channels.keys()];
    this.registry.removeChannels(names, listener);
    if (this.client !== null) await this.client.unsubscribe(names, listener);
  }

  async punsubscribe(patterns?: string | readonly string[], listener?: PatternListener): Promise<void> {
    const names = subscriptionNames(patterns, 'patterns') ?? [...this.registry.patterns.keys()];
    this.registry.removePatterns(names, listener);
    if (this.client !== null) await this.client.punsubscribe(names, listener);
  }

  /** After a map refresh: if the subscriber's node is no longer a primary, move everything to one that is. */
  check(): void {
    if (this.client === null || this.topology.isPrimary(this.nodeKey)) return;
    const old = this.client;
    this.client = null;
    old.disconnect();
    if (this.registry.size === 0) return;
    void this.connection()
      .then((client) => {
        const subscribing: Promise<void>[] = [];
        for (const [channel, listeners] of this.registry.channels) {
          if (listeners.size === 0) subscribing.push(client.subscribe(channel));
          for (const l of listeners) subscribing.push(client.subscribe(channel, l));
        }
        for (const [pattern, listeners] of this.registry.patterns) {
          if (listeners.size === 0) subscribing.push(client.psubscribe(pattern));
          for (const l of listeners) subscribing.push(client.psubscribe(pattern, l));
        }
        return Promise.all(subscribing);
      })
      .catch(() => undefined);
  }

  async close(graceful: boolean): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client === null) return;
    if (graceful) await client.quit();
    else client.disconnect();
  }

  private async connection(): Promise<RedisClient> {
    if (this.client !== null) return this.client;
    if (!this.topology.loaded) await this.topology.refresh();
    if (this.client !== null) return this.client;
    const node = this.topology.anyNode();
    if (node === undefined) throw new Error('No cluster primary is known to subscribe on');
    const client = this.topology.open(node.address);
    this.nodeKey = addressKey(node.address);
    client.on('error', () => undefined);
    client.on('message', (channel, message) => {
      if (this.outlet.listening('message')) this.outlet.message(channel, message);
    });
    client.on('pmessage', (pattern, channel, message) => {
      if (this.outlet.listening('pmessage')) this.outlet.pmessage(pattern, channel, message);
    });
    this.client = client;
    return client;
  }
}
