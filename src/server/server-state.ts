// What a connection (client.ts) and the built-in commands may use of the
// server: its databases, clients, machinery (dispatcher, blocking, pub/sub,
// persistence), settings and counters. server.ts implements it. Declared
// apart, generic over the client class, so that client.ts and the command
// files depend on this description and never on server.ts, which imports
// them all: no import cycle between the server, its clients and commands.

import type { BlockingManager } from './blocking.js';
import type { CommandTiming } from './command-timing.js';
import type { ServerContext } from './command.js';
import type { ConfigTable } from './config.js';
import type { Database, KeyspaceShared } from './database.js';
import type { DispatchedClient, Dispatcher } from './dispatcher.js';
import type { Logger } from './logger.js';
import type { ReplyHolder } from './persistence/aof-writer.js';
import type { Persistence } from './persistence/index.js';
import type { PubSub } from './pubsub.js';

/** Settings CONFIG GET/SET read and write. */
export interface ServerConfig {
  requirepass: string;
  maxclients: number;
  bind: string;
  port: number;
  databases: number;
  [key: string]: string | number;
}

/** INFO's counters (CONFIG RESETSTAT zeroes most of them). */
export interface ServerStats {
  connections: number;
  commands: number;
  rejectedConnections: number;
  blockedClients: number;
  expiredKeys: number;
  errorReplies: number;
}

export interface ServerState<C extends DispatchedClient<C>> extends ServerContext {
  readonly databases: readonly Database[];
  readonly clients: ReadonlyMap<number, C>;
  /** Clients in MONITOR mode. */
  readonly monitors: Set<C>;
  readonly dispatcher: Dispatcher<C>;
  readonly blocking: BlockingManager;
  readonly pubsub: PubSub;
  /** The slow log and the latency monitor. */
  readonly timing: CommandTiming;
  readonly persistence: Persistence;
  readonly config: ServerConfig;
  readonly configTable: ConfigTable;
  readonly log: Logger;
  readonly stats: ServerStats;
  /** Error replies by their first word (ERR, WRONGTYPE...), for INFO errorstats. */
  readonly errorStats: Map<string, number>;
  readonly shared: KeyspaceShared;
  /** Date.now() at start, for INFO's uptime. */
  readonly startedAt: number;
  /** The bound port. */
  readonly port: number;
  /** Counts an error reply for INFO (ReplyWriter.onError). */
  readonly countError: (message: string) => void;
  /** Persistence's hold on replies until the AOF has the writes (see Client.flush); null without an AOF. */
  readonly beforeReply: ((c: ReplyHolder) => boolean) | null;
  /** Closes a client's connection at once (CLIENT KILL, limits, shutdown). */
  disconnect(c: C): void;
  /** Disconnects a subscriber whose unread output passed Redis's pub/sub limits. */
  checkOutputLimits(c: C): void;
  /** MONITOR output for one command. */
  feedMonitors(c: C, argv: string[]): void;
  /** The last step of SHUTDOWN once its final save is done. */
  closeAfterShutdown(): Promise<void>;
}
