// Pub/sub routing: tells pub/sub frames from ordinary replies and hands each
// message to the listeners registered for its channel or pattern. Which command
// a (un)subscribe confirmation settles is the command queue's business; this
// module only recognises confirmations.
import { Subscriptions, type MessageListener } from './pub-sub.js';
import type { Reply } from './reply.js';

/** What {@link PubSubRouter.route} found in a frame. */
export const NOT_PUBSUB = 0;
export const MESSAGE = 1;
export const CONFIRMATION = 2;
export type FrameKind = typeof NOT_PUBSUB | typeof MESSAGE | typeof CONFIRMATION;

const CONFIRMATIONS = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);

/** Where messages go besides the per-channel listeners: the client's events. */
export interface PubSubOutlet {
  /** Whether anyone listens to the client's 'message' (or 'pmessage') event. */
  listening(event: 'message' | 'pmessage' | 'smessage'): boolean;
  message(channel: string, message: string): void;
  pmessage(pattern: string, channel: string, message: string): void;
  /** A message published to a shard channel (SPUBLISH). */
  smessage(channel: string, message: string): void;
  /** A listener threw: reported without abandoning the rest of the chunk being decoded. */
  listenerError(error: unknown): void;
}

/** The subscription registry plus message delivery. */
export class PubSubRouter {
  readonly subs = new Subscriptions();

  constructor(private readonly outlet: PubSubOutlet) {}

  /**
   * Classifies `frame` and delivers it if it is a message. `messagesExpected`:
   * a RESP3 push, or a RESP2 connection in subscriber mode (elsewhere a
   * three-element array starting with "message" is an ordinary reply).
   */
  route(frame: Reply[], messagesExpected: boolean): FrameKind {
    const kind = text(frame[0]);
    if (kind === 'message' && frame.length === 3 && messagesExpected) {
      this.deliver(text(frame[1]), text(frame[2]), undefined);
      return MESSAGE;
    }
    if (kind === 'pmessage' && frame.length === 4 && messagesExpected) {
      this.deliver(text(frame[2]), text(frame[3]), text(frame[1]));
      return MESSAGE;
    }
    if (kind === 'smessage' && frame.length === 3 && messagesExpected) {
      this.deliverShard(text(frame[1]), text(frame[2]));
      return MESSAGE;
    }
    if (kind === undefined || !CONFIRMATIONS.has(kind) || frame.length !== 3) return NOT_PUBSUB;
    return CONFIRMATION;
  }

  private deliverShard(channel: string | undefined, message: string | undefined): void {
    if (channel === undefined || message === undefined) return;
    this.callListeners(this.subs.shardChannels.get(channel), message, channel);
    if (this.outlet.listening('smessage')) this.outlet.smessage(channel, message);
  }

  private callListeners(listeners: Set<MessageListener> | undefined, message: string, channel: string): void {
    if (listeners === undefined) return;
    for (const l of listeners) {
      try {
        l(message, channel);
      } catch (err) {
        this.outlet.listenerError(err);
      }
    }
  }

  private deliver(channel: string | undefined, message: string | undefined, pattern: string | undefined): void {
    if (channel === undefined || message === undefined) return;
    const outlet = this.outlet;
    // A listener that throws must not keep the others (or the rest of the chunk) from running.
    if (pattern === undefined) {
      this.callListeners(this.subs.channels.get(channel), message, channel);
      if (outlet.listening('message')) outlet.message(channel, message);
    } else {
      const listeners = this.subs.patterns.get(pattern);
      if (listeners) {
        for (const l of listeners) {
          try {
            l(message, channel, pattern);
          } catch (err) {
            outlet.listenerError(err);
          }
        }
      }
      if (outlet.listening('pmessage')) outlet.pmessage(pattern, channel, message);
    }
  }
}

function text(v: Reply | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}
