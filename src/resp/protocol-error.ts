// The error raised when bytes on the wire are not valid RESP. Shared by every
// RESP consumer: once a stream is out of step, the connection cannot be trusted.

/** Malformed RESP: the stream cannot be resynchronised, so its connection must close. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`Protocol error: ${message}`, options);
  }
}
