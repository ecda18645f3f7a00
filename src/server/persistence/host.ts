// The contract between simpledb's server and its persistence: the options
// a server is started with (ServerOptions extends them) and what
// persistence uses of the server, so that persistence/ never imports the
// server's own modules.

import type { ConfigTable } from '../config.js';
import type { Database, KeyspaceShared } from '../database.js';
import type { Logger } from '../logger.js';
import type { ReplyHolder } from './aof-writer.js';
import type { LookupCommand } from './replay.js';
import type { FsyncPolicy } from './settings.js';

/** The persistence fields of ServerOptions. */
export interface PersistenceOptions {
  /** Directory for the snapshot and the AOF; default: the current directory. */
  dir?: string;
  /** Snapshot file name; default dump.sdb. */
  dbfilename?: string;
  /** AOF file name; default appendonly.aof. */
  appendfilename?: string;
  /** Log every write to the AOF; default false. */
  appendonly?: boolean;
  /** When the AOF is fsynced; default everysec. */
  appendfsync?: FsyncPolicy;
  /**
   * Snapshot rules, "<seconds> <changes> ..." as in redis.conf; "" for none.
   * Default for an embedded server: none (the CLI defaults to Redis's rules).
   */
  save?: string;
}

/** What persistence uses of the server (server.ts implements it). */
export interface PersistenceHost {
  readonly databases: readonly Database[];
  /** dirty: writes since the last save, which persistence resets. */
  readonly shared: KeyspaceShared;
  readonly log: Logger;
  readonly configTable: ConfigTable;
  now(): number;
  /** The command a logged command line runs (a container's subcommand), for AOF replay. */
  lookupCommand: LookupCommand;
  /** Whether a command of that name exists. */
  hasCommand(name: string): boolean;
  /** Called with each write's commands; set while the AOF is fed. */
  onWrite: ((dbIndex: number, commands: string[][]) => void) | null;
  /** Called before a connection's replies are written; true holds them. Set while the AOF is open. */
  beforeReply: ((c: ReplyHolder) => boolean) | null;
}
