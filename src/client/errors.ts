// Every error the client raises, so callers can tell a Redis error reply from a
// dead connection, a timeout, a broken stream or an aborted transaction.
export { ProtocolError } from '../resp/protocol-error.js';

/**
 * An error reply from the server (`-ERR ...`, `-WRONGTYPE ...`). Rejects only
 * the command it answers; inside a MULTI/EXEC result it appears as an element.
 */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';
  /** The first word of the reply: ERR, WRONGTYPE, NOAUTH, EXECABORT... */
  readonly code: string;
  /** Upper-case name of the command it answers, once known. */
  command: string | undefined;

  constructor(message: string) {
    super(message);
    const space = message.indexOf(' ');
    this.code = space === -1 ? message : message.slice(0, space);
  }
}

/**
 * The connection closed, or could not be used, before the command's reply
 * arrived. A command rejected this way may or may not have run on the server;
 * the client never resends it.
 */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  readonly command: string | undefined;
  /**
   * False when the command is known never to have reached the server (it was
   * still waiting to be written), so sending it elsewhere cannot run it twice;
   * true or undefined when it may have run.
   */
  readonly written: boolean | undefined;

  constructor(message: string, options?: { command?: string; cause?: unknown; written?: boolean }) {
    super(options?.command ? `${message} (${options.command})` : message, { cause: options?.cause });
    this.command = options?.command;
    this.written = options?.written;
  }
}

/** A command (or the connection attempt, as command `connect`) ran past its timeout. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${command} timed out after ${timeoutMs} ms`);
  }
}

/**
 * A MULTI/EXEC that did not run: `reason` is 'watch' when a WATCHed key changed
 * (EXEC replied nil), 'execabort' when a queued command was refused (`errors`
 * holds those refusals), 'error' when MULTI or EXEC itself failed.
 */
export class TransactionAbortedError extends Error {
  override readonly name = 'TransactionAbortedError';

  constructor(
    readonly reason: 'watch' | 'execabort' | 'error',
    readonly errors: readonly ReplyError[] = [],
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'watch'
        ? 'Transaction aborted: a watched key was modified'
        : `Transaction aborted: ${errors.map((e) => e.message).join('; ') || 'MULTI/EXEC failed'}`,
      options,
    );
  }
}

/** A command that a RESP2 connection in subscriber mode cannot run. */
export class SubscriberModeError extends Error {
  override readonly name = 'SubscriberModeError';

  constructor(readonly command: string) {
    super(
      `${command} is not allowed while this connection is subscribed; ` +
        'only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING and QUIT are. Use client.duplicate() for other commands.',
    );
  }
}

/** A command call() will not send because it would desynchronise the connection. */
export class UnsupportedCommandError extends Error {
  override readonly name = 'UnsupportedCommandError';

  constructor(
    readonly command: string,
    reason: string,
  ) {
    super(`${command} cannot be sent through call(): ${reason}`);
  }
}

/**
 * A cluster command or transaction whose keys hash to different slots: refused
 * by the client before anything is sent (Redis would answer CROSSSLOT).
 */
export class CrossSlotError extends Error {
  override readonly name = 'CrossSlotError';

  constructor(
    readonly command: string,
    readonly slots: readonly number[],
  ) {
    super(
      `${command}: keys in different hash slots (${slots.join(', ')}); a cluster runs a command or a ` +
        'transaction only when all its keys share one slot (use one {hash tag} in every key)',
    );
  }
}
