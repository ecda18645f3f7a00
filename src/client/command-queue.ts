// The command queue: commands between the call and the reply, in two FIFOs.
// `toWrite` holds commands encoded into the CommandWriter's batch but not yet on
// the wire (also the offline queue while disconnected); `inflight` holds written
// commands awaiting their reply. Replies are matched to `inflight` strictly in
// order; pub/sub frames are told apart by the router. When a connection dies,
// what was in flight is rejected (it may have run, so it is never resent) while
// what was never written waits for the next connection.
import { CommandWriter } from '../resp/command-writer.js';
import { RespDecoder } from '../resp/decoder.js';
import { encodeNamedCommand } from '../resp/encoder.js';
import { ProtocolError } from '../resp/protocol-error.js';
import type { Deadlines } from './deadlines.js';
import { ConnectionClosedError, ReplyError } from './errors.js';
import { Fifo } from './fifo.js';
import type { PendingCommand } from './pending-command.js';
import { CONFIRMATION, NOT_PUBSUB, type PubSubRouter } from './pubsub-router.js';
import type { Reply } from './reply.js';

/** Both FIFOs, the encoder batch, the decoder, and reply matching. */
export class CommandQueue {
  private readonly writer = new CommandWriter();
  private readonly toWrite = new Fifo<PendingCommand>();
  private readonly inflight = new Fifo<PendingCommand>();
  private readonly decoder: RespDecoder<ReplyError>;
  // Commands that timed out while toWrite was not empty: the batch is rebuilt without them.
  private unwrittenDone = 0;
  // (UN)SUBSCRIBE commands in toWrite, and in flight.
  private pubsubQueued = 0;
  private pubsubInFlight = 0;
  // The server's subscription counts as of the confirmations read so far: channels
  // plus patterns, and shard channels (Redis counts the two apart). RESP2 is in
  // subscriber mode while either is positive.
  private subscribedCount = 0;
  private shardCount = 0;
  // (UN)SUBSCRIBE calls whose connection died: settled once the next connection restores the registry.
  private awaitingRestore: PendingCommand[] = [];
  // Blocking commands the server unblocked (UNBLOCKED) on a demoted primary: sent again after the reconnect.
  private unblocked: PendingCommand[] = [];
  /**
   * Set for a client that follows failovers (Sentinel): called when a reply says
   * this server is no longer a writable primary (READONLY, UNBLOCKED).
   */
  onRoleLost: (() => void) | null = null;
  /**
   * Called when the server unsubscribes a shard channel on its own (Redis does
   * when the channel's slot moves to another node): the channel is no longer served here.
   */
  onShardChannelDropped: ((channel: string) => void) | null = null;

  /**
   * @param router classifies pub/sub frames and delivers messages.
   * @param deadlines told when a command with a deadline is answered.
   * @param onPush receives RESP3 push frames that are not pub/sub traffic.
   */
  constructor(
    private readonly router: PubSubRouter,
    private readonly deadlines: Deadlines,
    onPush: (frame: Reply[]) => void,
  ) {
    this.decoder = new RespDecoder<ReplyError>({
      onReply: (value) => this.onReply(value),
      onPush: (frame) => {
        if (!this.pubsubFrame(frame, true)) onPush(frame);
      },
      makeError: (message) => new ReplyError(message),
    });
  }

  /** Commands waiting to be written. */
  get waiting(): number {
    return this.toWrite.length;
  }

  /** Encodes a command into the next batch; throws (queuing nothing) for arguments that cannot be sent. */
  encode(name: string, args: readonly unknown[]): void {
    this.writer.write(name, args);
  }

  /** Queues a command whose encoding {@link encode} just added to the batch. */
  append(cmd: PendingCommand): void {
    this.toWrite.push(cmd);
    if (cmd.confirmations > 0) this.pubsubQueued++;
  }

  /** Encodes and queues an already validated command. */
  enqueue(cmd: PendingCommand): void {
    this.writer.write(cmd.rawName, cmd.args);
    this.append(cmd);
  }

  /** A command timed out: if it may still be unwritten, the batch must be rebuilt without it. */
  expired(): void {
    if (this.toWrite.length > 0) this.unwrittenDone++;
  }

  /**
   * Moves everything queued to in-flight and returns its bytes for one socket
   * write (a Buffer/string, or an array to write corked), or null when empty.
   */
  takeBatch(): Buffer | Buffer[] | null {
    const queue = this.toWrite;
    if (this.unwrittenDone > 0) this.rebuildBatch();
    const inflight = this.inflight;
    if (inflight.length === 0 && queue.length > 0) this.decoder.returnBuffers = (queue.peek() as PendingCommand).buffers;
    queue.transferTo(inflight);
    this.pubsubInFlight += this.pubsubQueued;
    this.pubsubQueued = 0;
    return this.writer.take();
  }

  /** Re-encodes the waiting commands without the ones that timed out before being written. */
  private rebuildBatch(): void {
    this.writer.discard();
    this.pubsubQueued = 0;
    for (const cmd of this.toWrite.drain()) {
      if (cmd.done) continue;
      this.writer.write(cmd.rawName, cmd.args);
      this.append(cmd);
    }
    this.unwrittenDone = 0;
  }

  // ---- connection events --------------------------------------------------------

  /** A new connection starts: no partial reply, no subscriber mode. */
  connectionStarted(): void {
    this.decoder.reset();
    this.subscribedCount = 0;
    this.shardCount = 0;
    this.pubsubInFlight = 0;
  }

  /** Decodes a chunk from the socket; throws ProtocolError on a broken stream. */
  feed(chunk: Buffer): void {
    this.decoder.feed(chunk);
  }

  /**
   * Puts the client's own handshake commands in flight ahead of everything
   * queued and returns their encoding, for the connection to write at once.
   */
  handshake(steps: readonly PendingCommand[]): string {
    let batch = '';
    for (const cmd of steps) {
      this.inflight.push(cmd);
      if (cmd.confirmations > 0) this.pubsubInFlight++;
      batch += encodeNamedCommand(cmd.rawName, cmd.args) as string;
    }
    this.decoder.returnBuffers = false;
    return batch;
  }

  /** The handshake succeeded: the (un)subscribe calls cut off by the last connection are now true again. */
  restored(): void {
    const restored = this.awaitingRestore;
    this.awaitingRestore = [];
    for (const cmd of restored) {
      if (!cmd.done) {
        cmd.done = true;
        cmd.resolve(undefined);
      }
    }
  }

  /**
   * The connection closed: rejects what was in flight (it may have run), keeps
   * what was never written, and queues again the blocking commands marked for
   * reissue (after what was already waiting).
   */
  connectionLost(cause: Error | undefined): void {
    this.subscribedCount = 0;
    this.shardCount = 0;
    this.pubsubInFlight = 0;
    const again = this.unblocked;
    this.unblocked = [];
    for (const cmd of this.inflight.drain()) {
      if (cmd.done) continue;
      if (cmd.confirmations > 0 && !cmd.internal) {
        // (Un)subscribing is idempotent and the registry already reflects it: the next connection restores it.
        this.awaitingRestore.push(cmd);
        continue;
      }
      if (cmd.reissue) {
        again.push(cmd);
        continue;
      }
      settleRejected(
        cmd,
        new ConnectionClosedError('Connection closed before the reply arrived', { command: cmd.name, cause, written: true }),
      );
    }
    for (const cmd of again) if (!cmd.done) this.enqueue(cmd);
  }

  /** Rejects every command not yet written with `error` (a failed handshake: they would run in the wrong state). */
  rejectUnwritten(error: Error): void {
    this.writer.discard();
    this.unwrittenDone = 0;
    this.pubsubQueued = 0;
    for (const cmd of this.toWrite.drain()) settleRejected(cmd, error);
  }

  /** The client is closed: rejects everything, in flight first, with `reason`'s message and cause. */
  rejectAll(reason: ConnectionClosedError): void {
    const closed = (cmd: PendingCommand, written: boolean): Error =>
      new ConnectionClosedError(reason.message, { command: cmd.name, cause: reason.cause, written });
    for (const cmd of this.inflight.drain()) settleRejected(cmd, closed(cmd, true));
    this.writer.discard();
    this.unwrittenDone = 0;
    this.pubsubQueued = 0;
    for (const cmd of this.toWrite.drain()) settleRejected(cmd, closed(cmd, false));
    for (const cmd of [...this.awaitingRestore, ...this.unblocked]) settleRejected(cmd, closed(cmd, true));
    this.awaitingRestore = [];
    this.unblocked = [];
  }

  // ---- replies ------------------------------------------------------------------

  private get serverSubscribed(): boolean {
    return this.subscribedCount > 0 || this.shardCount > 0;
  }

  private onReply(value: Reply): void {
    if ((this.serverSubscribed || this.pubsubInFlight > 0) && Array.isArray(value) && this.pubsubFrame(value, false)) {
      return;
    }
    const cmd = this.inflight.shift();
    if (cmd === undefined) throw new ProtocolError('received a reply while no command was waiting');
    const next = this.inflight.peek();
    this.decoder.returnBuffers = next !== undefined && next.buffers;
    if (cmd.confirmations > 0) {
      // A pub/sub command answered by something other than a confirmation: an error.
      this.pubsubInFlight--;
    }
    if (cmd.deadline !== 0) this.deadlines.answered(cmd);
    if (cmd.done) return;
    if (value instanceof ReplyError) {
      if (this.onRoleLost !== null && this.roleLost(value, cmd)) return;
      cmd.done = true;
      value.command = cmd.name;
      cmd.reject(value);
    } else {
      cmd.done = true;
      cmd.resolve(value);
    }
  }

  /** READONLY or UNBLOCKED on a client following failovers: reconnect; true when `cmd` will be sent again. */
  private roleLost(error: ReplyError, cmd: PendingCommand): boolean {
    if (error.code !== 'READONLY' && error.code !== 'UNBLOCKED') return false;
    // After this chunk's other replies are matched: the connection is dropped and a new primary looked up.
    setImmediate(this.onRoleLost as () => void);
    if (error.code === 'UNBLOCKED' && cmd.reissue) {
      // Not run (the server says so): it goes to the new primary.
      this.unblocked.push(cmd);
      return true;
    }
    return false;
  }

  /** Handles pub/sub traffic (messages, (un)subscribe confirmations); false when `frame` is something else. */
  private pubsubFrame(frame: Reply[], isPush: boolean): boolean {
    const kind = this.router.route(frame, isPush || this.serverSubscribed);
    if (kind !== CONFIRMATION) return kind !== NOT_PUBSUB;
    const verb = String(frame[0]);
    const count = typeof frame[2] === 'number' ? frame[2] : 0;
    const head = this.inflight.peek();
    if (head === undefined || head.confirmations === 0) {
      if (verb !== 'sunsubscribe') return false;
      // Not asked for: the server dropped the shard channel (its slot moved away).
      this.shardCount = count;
      const channel = frame[1];
      if (this.onShardChannelDropped !== null && channel !== null && channel !== undefined) this.onShardChannelDropped(String(channel));
      return true;
    }
    if (verb === 'ssubscribe' || verb === 'sunsubscribe') this.shardCount = count;
    else this.subscribedCount = count;
    if (--head.confirmations === 0) {
      this.inflight.shift();
      this.pubsubInFlight--;
      const next = this.inflight.peek();
      this.decoder.returnBuffers = next !== undefined && next.buffers;
      if (head.deadline !== 0) this.deadlines.answered(head);
      if (!head.done) {
        head.done = true;
        head.resolve(undefined);
      }
    }
    return true;
  }
}

/** Rejects `cmd` unless it is already settled. */
export function settleRejected(cmd: PendingCommand, error: Error): void {
  if (cmd.done) return;
  cmd.done = true;
  cmd.reject(error);
}
