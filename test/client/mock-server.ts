// A scriptable TCP server for the client's failure paths: it decodes each
// command and lets the test decide what (if anything) to send back.
import { createServer, type Server, type Socket } from 'node:net';
import { RespDecoder } from '../../src/resp/decoder.js';

/** What a mock connection does with each command it receives. */
export type MockHandler = (command: string[], socket: Socket, connectionIndex: number) => void;

/** A running mock server. */
export interface MockServer {
  readonly port: number;
  /** Every command received, per connection, in order. */
  readonly received: string[][][];
  readonly sockets: Socket[];
  close(): Promise<void>;
}

/** Starts a mock server on `port` (0 = any free port) that hands each decoded command to `handler`. */
export function startMockServer(handler: MockHandler, port = 0): Promise<MockServer> {
  const received: string[][][] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    const index = sockets.length;
    sockets.push(socket);
    received.push([]);
    socket.on('error', () => {});
    const decoder = new RespDecoder({
      onReply: (value) => {
        const command = (value as string[]).map(String);
        (received[index] as string[][]).push(command);
        handler(command, socket, index);
      },
    });
    socket.on('data', (chunk) => {
      try {
        decoder.feed(chunk);
      } catch {
        socket.destroy();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        received,
        sockets,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A handler that answers like a tiny Redis: PING, ECHO, and +OK for everything else. */
export const politeHandler: MockHandler = (command, socket) => {
  const name = (command[0] ?? '').toUpperCase();
  if (name === 'PING') socket.write('+PONG\r\n');
  else if (name === 'ECHO') socket.write(`$${Buffer.byteLength(command[1] ?? '')}\r\n${command[1] ?? ''}\r\n`);
  else if (name === 'QUIT') socket.end('+OK\r\n');
  else socket.write('+OK\r\n');
};
