// simpledb: a Redis-protocol-compatible server, embeddable in any Node process.
//
//   resp/request-parser  bytes -> commands (multibulk and inline)
//   server               listener, clients, databases, MONITOR, active expiry; wires the rest
//   server-state         what clients and commands may use of the server
//   client               one connection's state; it is the handlers' context
//   command              the handler contract (CommandSpec, CommandContext: the extension API)
//   dispatcher           lookup and subcommands, shared checks (arity, AUTH, MULTI, subscribe mode)
//   multi                MULTI queue and WATCHed keys of a client
//   database             keys, exact expiry, WATCH and blocking bookkeeping
//   reply                RESP2/RESP3 reply writer
//   commands/<family>    the handlers, one file per data type (or part of one)
//   data/                the value types: deque, set, sorted set, stream and its groups
//   blocking, pubsub     waiters on keys; channels and patterns
//   persistence/         AOF, snapshots, BGSAVE/BGREWRITEAOF (see persistence/index.ts)

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
