// One command between the call and its reply: what to write, how to decode the
// reply, and whom to tell.
import type { EncodedCommand } from '../resp/encoder.js';

/** A command waiting to be written or waiting for its reply. */
export class PendingCommand {
  /** Settled (replied, rejected or timed out): a late reply is read and dropped. */
  done = false;
  /** Date.now() after which it times out; 0 = never. */
  deadline = 0;
  timeoutMs = 0;

  constructor(
    /** Upper-case name, for errors. */
    readonly name: string,
    readonly encoded: EncodedCommand,
    /** Bulk strings of the reply as Buffers. */
    readonly buffers: boolean,
    public resolve: (value: unknown) => void,
    public reject: (error: Error) => void,
    /** (UN)SUBSCRIBE family: confirmations still expected, one per channel or pattern. */
    public confirmations = 0,
    /** Sent by the client itself (handshake, restore): never re-queued or handed to callers. */
    readonly internal = false,
  ) {}
}
