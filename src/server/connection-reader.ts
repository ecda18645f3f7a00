// Reads every client connection into one shared buffer.
//
// A net.Socket normally allocates a fresh Buffer for each read and passes it
// through the Readable stream machinery as a 'data' event. When a client
// sends one small request per read (no pipelining), that allocation and
// dispatch are about a tenth of the server's CPU time per request
// (bench/server.js, pipeline 1). Node's `onread` socket option reads into a
// buffer the caller provides and calls back directly, but net.Server has no
// such option for the connections it accepts, so each accepted connection's
// handle moves into a Socket created with `onread`. That relies on two
// long-standing but undocumented parts of net (the `_handle` property and the
// `handle` constructor option); when they are not there, the connection is
// read the ordinary way, through 'data' events.
//
// The shared buffer is overwritten by the next read of any connection, so
// onBytes must copy whatever it keeps past its return (RequestParser.release).

import { Socket } from 'node:net';

const shared = Buffer.allocUnsafe(64 * 1024);

interface AcceptedSocket {
  _handle?: { readStart?: unknown } | null;
}

/**
 * Starts reading a connection accepted by a server created with
 * `pauseOnConnect: true`. Returns the socket to use from now on (writes,
 * events, destroy), which may not be `accepted`.
 */
export function readConnection(accepted: Socket, onBytes: (chunk: Buffer) => void): Socket {
  const handle = (accepted as unknown as AcceptedSocket)._handle;
  if (handle && typeof handle.readStart === 'function') {
    (accepted as unknown as AcceptedSocket)._handle = null;
    // The husk has no handle left to close: destroying it only tells net.Server the connection moved.
    accepted.destroy();
    return new Socket({
      handle,
      readable: true,
      writable: true,
      onread: { buffer: shared, callback: (n: number, buf: Uint8Array) => onBytes((buf as Buffer).subarray(0, n)) },
    } as ConstructorParameters<typeof Socket>[0]);
  }
  accepted.on('data', onBytes);
  accepted.resume();
  return accepted;
}
