#!/usr/bin/env node
// simpledb CLI: parse options, start the server, stop cleanly on signals.
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type CommandSpec, type Server } from '../src/server/index.js';

function integer(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
    return n;
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
  .addHelpText('after', '\nExample:\n  simpledb --port 31337 &\n  redis-cli -p 31337 ping');

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
}>();

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
    server = await startServer({
      host: opts.host,
      port: opts.port,
      maxClients: opts.maxClients,
      requirepass: opts.requirepass,
      logLevel,
      logFile: opts.logFile,
    });
  } catch (e) {
    console.error(`simpledb: cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
    process.exit(1);
  }
  try {
    await loadExtensions(server, opts.extensions ?? []);
  } catch (e) {
    console.error(`simpledb: ${(e as Error).message}`);
    await server.close();
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
    void server.shutdown(null).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
