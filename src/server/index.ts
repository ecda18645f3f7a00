// simpledb: a Redis-protocol-compatible server, embeddable in any Node process.
//
//   resp/request-parser  bytes -> commands (multibulk and inline)
//   server               listener, clients, databases, MONITOR, active expiry
//   client               one connection's state; it is the handlers' context
//   dispatcher           shared checks (arity, AUTH, MULTI, subscribe mode)
//   database             keys, expiry, WATCH and blocking bookkeeping
//   reply                RESP2/RESP3 reply writer
//   commands/<family>    the handlers, one file per data type
//   blocking, pubsub     waiters on keys; channels and patterns

import { Server, type ServerOptions } from './server.js';

export { Server, type ServerOptions, type ServerConfig } from './server.js';
export type { CommandSpec, CommandContext, BlockSpec, CommandFlag } from './command.js';
export { CommandError } from './errors.js';
export { ReplyWriter } from './reply.js';

/**
 * Starts simpledb and resolves once it accepts connections.
 * @example
 * const server = await startServer({ host: '127.0.0.1', port: 0 });
 * console.log(server.port);
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<Server> {
  const server = new Server(options);
  await server.listen();
  return server;
}
