// One command between the call and its reply: how to decode the reply, whom to
// tell, and (for the rare re-encode) what it was.

/** A command waiting to be written or waiting for its reply. */
export class PendingCommand {
  /** Settled (replied, rejected or timed out): a late reply is read and dropped. */
  done = false;
  /** Date.now() after which it times out; 0 = never. */
  deadline = 0;
  timeoutMs = 0;
  /**
   * A blocking command on a client that follows failovers: if its connection is
   * lost or the server unblocks it because the primary was demoted, it is sent
   * again to the new primary instead of being rejected.
   */
  reissue = false;

  constructor(
    /** Upper-case name, for errors. */
    readonly name: string,
    /** The name as given and the arguments: kept to re-encode if a batch must be rebuilt. */
    readonly rawName: string,
    readonly args: readonly unknown[],
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
