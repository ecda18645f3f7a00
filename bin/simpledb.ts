#!/usr/bin/env node
// simpledb CLI: parse options, start the server, stop cleanly on signals.
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server, type CommandSpec } from '../src/server/index.js';
import {
  DEFAULT_APPENDFILENAME,
  DEFAULT_DBFILENAME,
  parseFsyncPolicy,
  parseSaveRules,
  REDIS_DEFAULT_SAVE,
  type FsyncPolicy,
} from '../src/server/persistence/settings.js';

function integer(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
    return n;
  };
}

function yesNo(v: string): 'yes' | 'no' {
  const s = v.toLowerCase();
  if (s !== 'yes' && s !== 'no') throw new InvalidArgumentError("must be 'yes' or 'no'.");
  return s;
}

function checked<T>(parse: (v: string) => T) {
  return (v: string): T => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError(`${(e as Error).message}.`);
    }
  };
}

const program = new Command('simpledb')
  .description('A Redis-protocol-compatible server: redis-cli, redis-benchmark and Redis clients work against it.')
  .option('-H, --host <host>', 'address to bind', '127.0.0.1')
  .option('-p, --port <port>', 'port to listen on (0 picks a free one)', integer('port', 0, 65535), 31337)
  .option('-m, --max-clients <n>', 'connections beyond this get "max number of clients reached"', integer('max-clients', 1, 1_000_000), 10000)
  .option('-d, --debug', 'log debug messages (connections, protocol errors)')
  .option('-e, --errors', 'log errors only')
  .option('-l, --log-file <path>', 'write the log to this file instead of stderr')
  .option('-x, --extensions <modules...>', 'modules that register extra commands (see README "Extending simpledb")')
  .option('--requirepass <password>', 'require AUTH with this password before any other command')
  .option('--dir <path>', 'directory for the snapshot and the append-only file', '.')
  .option('--dbfilename <name>', 'snapshot file name', DEFAULT_DBFILENAME)
  .option('--save <rules>', 'snapshot after <seconds> if at least <changes> writes, as pairs "<seconds> <changes> ..."; "" disables', REDIS_DEFAULT_SAVE)
  .option('--appendonly <yes|no>', 'log every write to the append-only file and replay it at start', yesNo, 'no')
  .option('--appendfsync <policy>', 'when to fsync the append-only file: always (before replying), everysec, no', checked(parseFsyncPolicy), 'everysec' as FsyncPolicy)
  .option('--appendfilename <name>', 'append-only file name', DEFAULT_APPENDFILENAME)
  .addHelpText(
    'after',
    [
      '',
      'Persistence: at start the append-only file is loaded when --appendonly is yes and it exists, else the',
      'snapshot (--dbfilename) if present. SHUTDOWN, SIGTERM and SIGINT save a snapshot when save rules are set',
      '(SHUTDOWN NOSAVE does not); --save "" --appendonly no keeps nothing on disk.',
      '',
      'Example:',
      '  simpledb --port 31337 &',
      '  redis-cli -p 31337 ping',
      '  simpledb --dir /var/lib/simpledb --appendonly yes --appendfsync always',
    ].join('\n'),
  );

program.parse();
const opts = program.opts<{
  host: string;
  port: number;
  maxClients: number;
  debug?: boolean;
  errors?: boolean;
  logFile?: string;
  extensions?: string[];
  requirepass?: string;
  dir: string;
  dbfilename: string;
  save: string;
  appendonly: 'yes' | 'no';
  appendfsync: FsyncPolicy;
  appendfilename: string;
}>();

try {
  parseSaveRules(opts.save);
} catch (e) {
  program.error(`error: option '--save <rules>' argument '${opts.save}' is invalid. ${(e as Error).message}.`);
}

/** An extension module exports `register(api)` (or a default function) and adds commands through it. */
export interface ExtensionApi {
  registerCommand(spec: CommandSpec): void;
  server: Server;
}

async function loadExtensions(server: Server, modules: string[]): Promise<void> {
  for (const m of modules) {
    const url = m.startsWith('.') || m.startsWith('/') ? pathToFileURL(resolve(m)).href : m;
    const mod = (await import(url)) as { register?: (api: ExtensionApi) => void; default?: (api: ExtensionApi) => void };
    const register = mod.register ?? mod.default;
    if (typeof register !== 'function') throw new Error(`extension ${m} exports no register(api) function`);
    register({ registerCommand: (spec) => server.registerCommand(spec), server });
  }
}

async function main(): Promise<void> {
  const logLevel = opts.debug ? 'debug' : opts.errors ? 'error' : 'info';
  let server: Server;
  try {
    server = new Server({
      host: opts.host,
      port: opts.port,
      maxClients: opts.maxClients,
      requirepass: opts.requirepass,
      logLevel,
      logFile: opts.logFile,
      dir: resolve(opts.dir),
      dbfilename: opts.dbfilename,
      save: opts.save,
      appendonly: opts.appendonly === 'yes',
      appendfsync: opts.appendfsync,
      appendfilename: opts.appendfilename,
    });
    // Extensions are registered before the port opens (as Redis loads modules
    // first): a client that connects at once must find their commands.
    await loadExtensions(server, opts.extensions ?? []);
    await server.listen();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Loading errors (a corrupt AOF or snapshot) name the file and offset themselves.
    if (err.syscall === 'listen') console.error(`simpledb: cannot listen on ${opts.host}:${opts.port}: ${err.message}`);
    else console.error(`simpledb: ${err.message}`);
    process.exit(1);
  }
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1' && !opts.requirepass) {
    server.log.warn(`listening on ${opts.host} without a password: anyone who can reach this address can read and write data (use --requirepass)`);
  }
  server.log.info(`simpledb ready to accept connections on ${opts.host}:${server.port}`);
  server.onClosed(() => process.exit(0));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    server.log.info(`received ${signal}, shutting down`);
    server.shutdown(null).then(
      () => process.exit(0),
      // The final snapshot failed: keep serving, as Redis does, rather than exit with the data unsaved.
      (e: Error) => {
        server.log.warn(`${e.message} (send the signal again to exit without saving)`);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
