// Server commands: INFO TIME CONFIG MONITOR COMMAND SHUTDOWN.
import os from 'node:os';
import type { AnyCommandSpec, CommandFlag } from '../command.js';
import type { Client, ClientCommand } from '../client.js';
import { CommandError, SYNTAX } from '../errors.js';
import { globMatch } from '../glob.js';
import { persistenceInfo } from '../persistence/info.js';
import type { ServerState } from '../server-state.js';
import { SERVER_VERSION } from './connection.js';
import { clientContainerCommand } from './subcommands.js';

// TIME
function time(c: Client): void {
  const t = c.server.now();
  c.reply.arrayLen(2);
  c.reply.bulk(String(Math.floor(t / 1000)));
  c.reply.bulk(String((t % 1000) * 1000));
}

// MONITOR
function monitor(c: Client): void {
  // Inside EXEC (MONITOR is queued by MULTI like any command) the client expects one reply per command.
  if (c.mustNotBlock) throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
  if (c.monitor) return; // Redis ignores it, without a reply
  c.monitor = true;
  c.server.monitors.add(c);
  c.reply.ok();
}

/** INFO sections, each a list of field lines, in Redis's order. */
export type InfoSection = (server: ServerState<Client>) => [string, string | number][];
export const infoSections = new Map<string, InfoSection>([
  [
    'server',
    (s) => [
      ['redis_version', SERVER_VERSION],
      ['simpledb_version', '0.1.0'],
      ['redis_mode', 'standalone'],
      ['os', `${os.type()} ${os.release()} ${os.arch()}`],
      ['arch_bits', 64],
      ['multiplexing_api', 'node'],
      ['process_id', process.pid],
      ['tcp_port', s.port],
      ['server_time_usec', s.now() * 1000],
      ['uptime_in_seconds', Math.floor((Date.now() - s.startedAt) / 1000)],
      ['uptime_in_days', Math.floor((Date.now() - s.startedAt) / 86_400_000)],
      ['hz', 10],
      ['executable', process.argv[1] ?? ''],
      ['config_file', ''],
    ],
  ],
  [
    'clients',
    (s) => [
      ['connected_clients', s.clients.size],
      ['maxclients', s.config.maxclients],
      ['blocked_clients', s.stats.blockedClients],
      ['pubsub_clients', [...s.clients.values()].filter((c) => c.inPubSubMode).length],
    ],
  ],
  [
    'memory',
    () => {
      const m = process.memoryUsage();
      return [
        ['used_memory', m.heapUsed],
        ['used_memory_human', `${(m.heapUsed / 1048576).toFixed(2)}M`],
        ['used_memory_rss', m.rss],
        ['maxmemory', 0],
        ['maxmemory_policy', 'noeviction'],
      ];
    },
  ],
  ['persistence', (s) => persistenceInfo(s.persistence, s.shared.dirty)],
  [
    'stats',
    (s) => [
      ['total_connections_received', s.stats.connections],
      ['total_commands_processed', s.stats.commands],
      ['rejected_connections', s.stats.rejectedConnections],
      ['expired_keys', s.stats.expiredKeys],
      ['pubsub_channels', s.pubsub.channels.size],
      ['pubsub_patterns', s.pubsub.patterns.size],
      ['pubsubshard_channels', s.pubsub.shardChannels.size],
      ['total_error_replies', s.stats.errorReplies],
    ],
  ],
  ['replication', () => [['role', 'master'], ['connected_slaves', 0]]],
  [
    'cpu',
    () => {
      const u = process.cpuUsage();
      return [
        ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
        ['used_cpu_user', (u.user / 1e6).toFixed(6)],
      ];
    },
  ],
  ['modules', () => []],
  [
    'errorstats',
    (s) => [...s.errorStats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, n]) => [`errorstat_${code}`, `count=${n}`] as [string, string]),
  ],
  ['cluster', () => [['cluster_enabled', 0]]],
  [
    'keyspace',
    (s) =>
      s.databases
        .filter((db) => db.size > 0)
        .map((db) => [`db${db.index}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=0`] as [string, string]),
  ],
]);

const TITLES: Record<string, string> = { cpu: 'CPU' };

// INFO [section [section ...]]
function info(c: Client): void {
  const server = c.server;
  const asked = c.argv.slice(1).map((s) => s.toLowerCase());
  const all = asked.length === 0 || asked.some((s) => s === 'all' || s === 'everything' || s === 'default');
  const parts: string[] = [];
  for (const [name, section] of infoSections) {
    if (!all && !asked.includes(name)) continue;
    const title = TITLES[name] ?? name[0].toUpperCase() + name.slice(1);
    parts.push(`# ${title}\r\n` + section(server).map(([k, v]) => `${k}:${v}\r\n`).join(''));
  }
  c.reply.verbatim(parts.join('\r\n'));
}

const config = clientContainerCommand<Client>(
  'config',
  [
    // CONFIG GET parameter [parameter ...]
    {
      name: 'get',
      arity: -3,
      handler: (c) => {
        const pairs = c.server.configTable.match(c.argv.slice(2), (p, s) => globMatch(p, s, true));
        c.reply.mapLen(pairs.length);
        for (const [k, v] of pairs) {
          c.reply.bulk(k);
          c.reply.bulk(v);
        }
      },
    },
    // CONFIG SET parameter value [parameter value ...]
    {
      name: 'set',
      arity: -4,
      handler: (c) => {
        const args = c.argv.slice(2);
        if (args.length % 2 !== 0) throw new CommandError(SYNTAX);
        const pairs: [string, string][] = [];
        for (let i = 0; i < args.length; i += 2) pairs.push([args[i], args[i + 1]]);
        c.server.configTable.setMany(pairs);
        c.reply.ok();
      },
    },
    // CONFIG RESETSTAT
    {
      name: 'resetstat',
      arity: 2,
      handler: (c) => {
        const stats = c.server.stats;
        stats.commands = 0;
        stats.connections = 0;
        stats.rejectedConnections = 0;
        stats.expiredKeys = 0;
        stats.errorReplies = 0;
        c.server.errorStats.clear();
        c.reply.ok();
      },
    },
    // CONFIG REWRITE: simpledb has no config file to rewrite.
    {
      name: 'rewrite',
      arity: 2,
      handler: () => {
        throw new CommandError('ERR The server is running without a config file');
      },
    },
  ],
  { flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'] },
);

/**
 * The flags COMMAND INFO shows, in Redis's order and spelling. The others
 * (no-multi, allow-in-subscribe) are simpledb's own dispatcher hints.
 */
const INFO_FLAGS: readonly (readonly [CommandFlag, string])[] = [
  ['write', 'write'],
  ['readonly', 'readonly'],
  ['denyoom', 'denyoom'],
  ['admin', 'admin'],
  ['pubsub', 'pubsub'],
  ['noscript', 'noscript'],
  ['blocking', 'blocking'],
  ['loading', 'loading'],
  ['stale', 'stale'],
  ['skip-slowlog', 'skip_slowlog'],
  ['fast', 'fast'],
  ['no-auth', 'no_auth'],
  ['no-async-loading', 'no_async_loading'],
  ['not-in-multi', 'no_multi'],
  ['movablekeys', 'movablekeys'],
  ['allow-busy', 'allow_busy'],
];

/** One COMMAND INFO entry, in Redis 7's 10-field shape. */
function commandInfo(c: Client, spec: AnyCommandSpec<Client>): void {
  const r = c.reply;
  r.arrayLen(10);
  r.bulk(spec.name);
  r.integer(spec.arity);
  const flags = INFO_FLAGS.filter(([f]) => spec.flags.includes(f));
  r.setLen(flags.length);
  for (const [, shown] of flags) r.simple(shown);
  r.integer(spec.keys[0]);
  r.integer(spec.keys[1]);
  r.integer(spec.keys[2]);
  const cats = spec.categories ?? [];
  r.setLen(cats.length);
  for (const cat of cats) r.simple('@' + cat);
  r.setLen(0);
  r.arrayLen(0);
  const subs = spec.subcommands ?? [];
  r.arrayLen(subs.length);
  for (const sub of subs) commandInfo(c, sub);
}

const command = clientContainerCommand<Client>(
  'command',
  [
    // COMMAND COUNT
    { name: 'count', arity: 2, handler: (c) => c.reply.integer(c.server.dispatcher.commands.length) },
    // COMMAND LIST
    { name: 'list', arity: -2, handler: (c) => c.reply.bulkArray(c.server.dispatcher.commands.map((s) => s.name)) },
    // COMMAND INFO [command-name ...]
    {
      name: 'info',
      arity: -2,
      handler: (c) => {
        const d = c.server.dispatcher;
        const names = c.argv.slice(2);
        const specs = names.length ? names.map((n) => d.lookup(n)) : d.commands;
        c.reply.arrayLen(specs.length);
        for (const spec of specs) {
          if (spec) commandInfo(c, spec);
          else c.reply.nullBulk(); // $-1 in RESP2, as Redis's addReplyNull
        }
      },
    },
    // COMMAND DOCS [command-name ...]
    {
      name: 'docs',
      arity: -2,
      handler: (c) => {
        const d = c.server.dispatcher;
        const names = c.argv.slice(2);
        const specs = (names.length ? names.map((n) => d.lookup(n)) : d.commands).filter((s): s is AnyCommandSpec<Client> => !!s);
        c.reply.mapLen(specs.length);
        for (const spec of specs) {
          c.reply.bulk(spec.name);
          c.reply.mapLen(2);
          c.reply.bulk('summary');
          c.reply.bulk(spec.summary ?? '');
          c.reply.bulk('group');
          c.reply.bulk(spec.categories?.find((cat) => !['fast', 'slow', 'read', 'write', 'keyspace', 'dangerous', 'blocking'].includes(cat)) ?? 'generic');
        }
      },
    },
    // COMMAND GETKEYS command [arg ...]
    {
      name: 'getkeys',
      arity: -4,
      handler: (c) => {
        const argv = c.argv.slice(2);
        const spec = c.server.dispatcher.lookup(argv[0]);
        if (!spec) throw new CommandError('ERR Invalid command specified');
        if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
          throw new CommandError('ERR Invalid number of arguments specified for command');
        }
        const [first, lastSpec, step] = spec.keys;
        if (first === 0) throw new CommandError('ERR The command has no key arguments');
        const last = lastSpec < 0 ? argv.length + lastSpec : lastSpec;
        const keys: string[] = [];
        for (let i = first; i <= last && i < argv.length; i += step) keys.push(argv[i]);
        c.reply.bulkArray(keys);
      },
    },
  ],
  { flags: ['loading', 'stale'], categories: ['slow', 'connection'] },
);

// The bare COMMAND (no subcommand: the dispatcher runs those) lists every command's info.
const commandSpec: ClientCommand = {
  ...command,
  arity: -1,
  flags: ['loading', 'stale'],
  categories: ['slow', 'connection'],
  handler(c) {
    const specs = c.server.dispatcher.commands;
    c.reply.arrayLen(specs.length);
    for (const spec of specs) commandInfo(c, spec);
  },
};

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
function shutdown(c: Client): void {
  const server = c.server;
  let save: boolean | null = null;
  let force = false;
  for (const arg of c.argv.slice(1)) {
    const a = arg.toLowerCase();
    if (a === 'nosave') save = false;
    else if (a === 'save') save = true;
    else if (a === 'force') force = true;
    else if (a === 'now') continue;
    else if (a === 'abort') throw new CommandError('ERR No shutdown in progress.');
    else throw new CommandError(SYNTAX);
  }
  server.log.warn(`User requested shutdown...`);
  // Flush the AOF and save here, so a failed save can still be answered (and the server keeps running), as in Redis.
  if (!server.persistence.prepareShutdown(save, force)) throw new CommandError('ERR Errors trying to SHUTDOWN. Check logs.');
  void server.closeAfterShutdown();
}

export const serverCommands: ClientCommand[] = [
  { needsClient: true, name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], keys: [0, 0, 0], handler: time, categories: ['fast'] },
  { needsClient: true, name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], keys: [0, 0, 0], handler: monitor, categories: ['admin', 'slow', 'dangerous'] },
  { needsClient: true, name: 'info', arity: -1, flags: ['loading', 'stale'], keys: [0, 0, 0], handler: info, categories: ['slow', 'dangerous'] },
  // Not 'no-auth': as in Redis, an unauthenticated client cannot shut the server down.
  { needsClient: true, name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'not-in-multi', 'allow-busy'], keys: [0, 0, 0], handler: shutdown, categories: ['admin', 'slow', 'dangerous'] },
  config,
  commandSpec,
];
