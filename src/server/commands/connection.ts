// Connection commands: PING ECHO QUIT RESET SELECT AUTH HELLO CLIENT.
import type { CommandContext } from '../command.js';
import type { BuiltinCommand, Client } from '../client.js';
import { CommandError, NOT_INTEGER, SYNTAX, wrongArity } from '../errors.js';
import { discardTransaction, unwatchAll } from '../multi.js';
import { parseInt64 } from '../numbers.js';
import { clientContainerCommand, subcommandSyntaxError } from './subcommands.js';

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const SERVER_VERSION = '7.0.15';

// PING [message]
function ping(c: Client): void {
  if (c.argv.length > 2) throw new CommandError(wrongArity('ping'));
  // In RESP2 subscribe mode PING answers with a pub/sub-shaped array.
  if (c.protocol === 2 && c.inPubSubMode) {
    c.reply.arrayLen(2);
    c.reply.bulk('pong');
    c.reply.bulk(c.argv[1] ?? '');
  } else if (c.argv.length === 2) c.reply.bulk(c.argv[1]);
  else c.reply.simple('PONG');
}

// ECHO message
function echo(ctx: CommandContext): void {
  ctx.reply.bulk(ctx.argv[1]);
}

// QUIT
function quit(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

// RESET
function reset(c: Client): void {
  const server = c.server;
  discardTransaction(c);
  unwatchAll(c);
  server.pubsub.forget(c);
  server.monitors.delete(c);
  c.reply.protocol = 2;
  c.name = '';
  c.db = server.databases[0];
  if (server.config.requirepass) {
    c.authenticated = false;
    c.parser.authenticated = false;
  }
  c.reply.simple('RESET');
}

// SELECT index
function select(c: Client): void {
  const n = parseInt64(c.argv[1]);
  if (n === null) throw new CommandError(NOT_INTEGER);
  // Redis reads the index as a C int first.
  if (n < -2147483648n || n > 2147483647n) throw new CommandError('ERR value is out of range, value must between -2147483648 and 2147483647');
  if (n < 0n || n >= BigInt(c.server.databases.length)) throw new CommandError('ERR DB index is out of range');
  c.db = c.server.databases[Number(n)];
  c.reply.ok();
}

/** Checks a password for AUTH and HELLO's AUTH option; the only user is "default". */
function checkPassword(c: Client, username: string, password: string): boolean {
  const required = c.server.config.requirepass;
  if (username !== 'default') return false;
  return required === '' || password === required;
}

function setAuthenticated(c: Client): void {
  c.authenticated = true;
  c.parser.authenticated = true;
}

// AUTH [username] password
function auth(c: Client): void {
  const argv = c.argv;
  if (argv.length > 3) throw new CommandError(SYNTAX);
  if (argv.length === 2 && c.server.config.requirepass === '') {
    throw new CommandError(
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    );
  }
  const [username, password] = argv.length === 3 ? [argv[1], argv[2]] : ['default', argv[1]];
  if (!checkPassword(c, username, password)) throw new CommandError(WRONGPASS);
  setAuthenticated(c);
  c.reply.ok();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function hello(c: Client): void {
  const argv = c.argv;
  let protocol = c.protocol;
  if (argv.length >= 2) {
    const v = parseInt64(argv[1]);
    if (v === null) throw new CommandError('ERR Protocol version is not an integer or out of range');
    if (v < 2n || v > 3n) throw new CommandError('NOPROTO unsupported protocol version');
    protocol = Number(v) as 2 | 3;
  }
  // Each option takes effect as it is read, as in Redis 7.0: a name set
  // before a failing AUTH or a bad option stays set.
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    const more = argv.length - i - 1;
    if (opt === 'auth' && more >= 2) {
      if (!checkPassword(c, argv[i + 1], argv[i + 2])) throw new CommandError(WRONGPASS);
      setAuthenticated(c);
      i += 2;
    } else if (opt === 'setname' && more >= 1) {
      validateClientName(argv[++i]);
      c.name = argv[i];
    } else {
      throw new CommandError(`ERR Syntax error in HELLO option '${argv[i]}'`);
    }
  }
  if (!c.authenticated) {
    throw new CommandError('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  }
  c.reply.protocol = protocol;
  const r = c.reply;
  r.mapLen(7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(SERVER_VERSION);
  r.bulk('proto');
  r.integer(protocol);
  r.bulk('id');
  r.integer(c.id);
  r.bulk('mode');
  r.bulk('standalone');
  r.bulk('role');
  r.bulk('master');
  r.bulk('modules');
  r.arrayLen(0);
}

function validateClientName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 33 || code > 126) throw new CommandError('ERR Client names cannot contain spaces, newlines or special characters.');
  }
}

/** One line of CLIENT LIST / CLIENT INFO. */
export function clientInfoLine(c: Client): string {
  const now = Date.now();
  // Redis's order of flag letters.
  const flags = (c.monitor ? 'O' : '') + (c.inPubSubMode ? 'P' : '') + (c.inMulti ? 'x' : '') + (c.blocked ? 'b' : '') + (c.dirtyCas ? 'd' : '') || 'N';
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=0 name=${c.name} age=${Math.floor((now - c.createdAt) / 1000)} ` +
    `idle=${Math.floor((now - c.lastInteraction) / 1000)} flags=${flags} db=${c.db.index} sub=${c.channels.size} ` +
    `psub=${c.patterns.size} ssub=${c.shardChannels.size} multi=${c.inMulti ? c.multiQueue.length : -1} qbuf=${c.pendingInputBytes} qbuf-free=0 ` +
    `argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=${c.socket.writableLength} tot-mem=0 events=r ` +
    // No lib-name/lib-ver: Redis 7.0 does not list them (CLIENT SETINFO is accepted for 7.2 clients).
    `cmd=${c.lastCommand} user=default redir=-1 resp=${c.protocol}`
  );
}

/** CLIENT subcommands that Redis flags admin (not shown by MONITOR). */
const ADMIN = {
  flags: ['admin', 'noscript', 'loading', 'stale'],
  categories: ['admin', 'slow', 'dangerous', 'connection'],
} as const;

const client = clientContainerCommand<Client>('client', [
  // CLIENT ID
  { name: 'id', arity: 2, handler: (c) => c.reply.integer(c.id) },
  // CLIENT GETNAME
  { name: 'getname', arity: 2, handler: (c) => (c.name ? c.reply.bulk(c.name) : c.reply.nullBulk()) },
  // CLIENT SETNAME connection-name
  {
    name: 'setname',
    arity: 3,
    handler: (c) => {
      validateClientName(c.argv[2]);
      c.name = c.argv[2];
      c.reply.ok();
    },
  },
  // CLIENT SETINFO LIB-NAME name | LIB-VER version  (Redis 7.2; clients send it on connect)
  {
    name: 'setinfo',
    arity: 4,
    handler: (c) => {
      const attr = c.argv[2].toLowerCase();
      if (attr === 'lib-name') {
        validateClientName(c.argv[3]);
        c.libName = c.argv[3];
      } else if (attr === 'lib-ver') {
        c.libVersion = c.argv[3];
      } else throw new CommandError(`ERR Unrecognized option '${c.argv[2]}'`);
      c.reply.ok();
    },
  },
  // CLIENT REPLY ON|OFF|SKIP
  {
    name: 'reply',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    categories: ['slow', 'connection'],
    handler: (c) => {
      const mode = c.argv[2].toLowerCase();
      if (mode !== 'on' && mode !== 'off' && mode !== 'skip') throw new CommandError(SYNTAX);
      c.setReplyMode(mode);
    },
  },
  // CLIENT INFO
  { name: 'info', arity: 2, handler: (c) => c.reply.verbatim(clientInfoLine(c) + '\n') },
  // CLIENT LIST [TYPE normal|pubsub|...] [ID id ...]
  {
    name: 'list',
    arity: -2,
    ...ADMIN,
    handler: (c) => {
      let clients = [...c.server.clients.values()];
      const argv = c.argv;
      if (argv.length > 2) {
        const opt = argv[2].toLowerCase();
        if (opt === 'type' && argv.length === 4) {
          const type = argv[3].toLowerCase();
          if (!['normal', 'pubsub', 'master', 'replica', 'slave'].includes(type)) throw new CommandError(`ERR Unknown client type '${argv[3]}'`);
          clients = clients.filter((x) => (type === 'pubsub' ? x.inPubSubMode : type === 'normal' ? !x.inPubSubMode : false));
        } else if (opt === 'id' && argv.length >= 4) {
          // In the order asked, repeats included, as Redis.
          const ids = argv.slice(3).map((s) => {
            const n = parseInt64(s);
            if (n === null) throw new CommandError('ERR Invalid client ID');
            return Number(n);
          });
          clients = ids.map((id) => c.server.clients.get(id)).filter((x): x is Client => x !== undefined);
        } else throw new CommandError(SYNTAX);
      }
      c.reply.verbatim(clients.map((x) => clientInfoLine(x) + '\n').join(''));
    },
  },
  // CLIENT KILL ip:port | CLIENT KILL [ID id] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] ...
  {
    name: 'kill',
    arity: -3,
    ...ADMIN,
    handler: (c) => {
      const argv = c.argv;
      const all = [...c.server.clients.values()];
      if (argv.length === 3) {
        const target = all.find((x) => x.addr === argv[2]);
        if (!target) throw new CommandError('ERR No such client');
        kill(c, target);
        c.reply.ok();
        return;
      }
      if ((argv.length - 2) % 2 !== 0) throw new CommandError(SYNTAX);
      let skipMe = true;
      const filters: ((x: Client) => boolean)[] = [];
      for (let i = 2; i < argv.length; i += 2) {
        const opt = argv[i].toLowerCase();
        const val = argv[i + 1];
        if (opt === 'id') {
          const n = parseInt64(val);
          if (n === null || n <= 0n) throw new CommandError('ERR client-id should be greater than 0');
          filters.push((x) => x.id === Number(n));
        } else if (opt === 'addr') filters.push((x) => x.addr === val);
        else if (opt === 'laddr') filters.push((x) => x.laddr === val);
        else if (opt === 'user') {
          if (val !== 'default') throw new CommandError(`ERR No such user '${val}'`);
        } else if (opt === 'type') {
          const type = val.toLowerCase();
          if (!['normal', 'pubsub', 'master', 'replica', 'slave'].includes(type)) throw new CommandError(`ERR Unknown client type '${val}'`);
          // There are no masters or replicas here; MONITOR clients count as normal, as in Redis.
          filters.push((x) => (type === 'pubsub' ? x.inPubSubMode : type === 'normal' ? !x.inPubSubMode : false));
        }
        else if (opt === 'skipme') {
          const v = val.toLowerCase();
          if (v !== 'yes' && v !== 'no') throw new CommandError(SYNTAX);
          skipMe = v === 'yes';
        } else throw new CommandError(SYNTAX);
      }
      let killed = 0;
      for (const x of all) {
        if (skipMe && x === c) continue;
        if (filters.every((f) => f(x))) {
          kill(c, x);
          killed++;
        }
      }
      c.reply.integer(killed);
    },
  },
  // CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
  {
    name: 'unblock',
    arity: -3,
    ...ADMIN,
    handler: (c) => {
      if (c.argv.length > 4) throw subcommandSyntaxError(c);
      const mode = (c.argv[3] ?? 'timeout').toLowerCase();
      if (mode !== 'timeout' && mode !== 'error') throw new CommandError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      const n = parseInt64(c.argv[2]);
      if (n === null) throw new CommandError(NOT_INTEGER);
      const target = c.server.clients.get(Number(n));
      if (!target || !target.blocked) return c.reply.integer(0);
      const spec = target.blocked.spec;
      if (mode === 'error') target.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
      else if (spec.onTimeout) spec.onTimeout(target.reply);
      else target.reply.nullArray();
      c.server.blocking.unblock(target);
      target.flushOutOfBand();
      setImmediate(() => target.processInput());
      c.reply.integer(1);
    },
  },
  // CLIENT NO-EVICT on|off, CLIENT NO-TOUCH on|off: accepted, nothing to do here.
  ...['no-evict', 'no-touch'].map((name) => ({
    name,
    arity: 3,
    ...(name === 'no-evict' ? ADMIN : {}),
    handler: (c: Client) => {
      const v = c.argv[2].toLowerCase();
      if (v !== 'on' && v !== 'off') throw new CommandError(SYNTAX);
      c.reply.ok();
    },
  })),
], { flags: ['noscript', 'loading', 'stale'], categories: ['slow', 'connection'] });

function kill(self: Client, target: Client): void {
  if (target === self) self.closeAfterReply = true;
  else self.server.disconnect(target);
}

const k0 = [0, 0, 0] as const;
/** Redis's flags for the commands a client may send before AUTH. */
const ANYTIME = ['noscript', 'loading', 'stale', 'fast', 'no-auth', 'allow-busy'] as const;
export const connectionCommands: BuiltinCommand[] = [
  { needsClient: true, name: 'ping', arity: -1, flags: ['fast', 'allow-in-subscribe'], keys: k0, handler: ping, categories: ['fast', 'connection'] },
  { name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], keys: k0, handler: echo, categories: ['fast', 'connection'] },
  { needsClient: true, name: 'quit', arity: -1, flags: [...ANYTIME, 'no-multi', 'allow-in-subscribe'], keys: k0, handler: quit, categories: ['fast', 'connection'] },
  { needsClient: true, name: 'reset', arity: 1, flags: [...ANYTIME, 'no-multi', 'allow-in-subscribe'], keys: k0, handler: reset, categories: ['fast', 'connection'] },
  { needsClient: true, name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], keys: k0, handler: select, categories: ['fast', 'connection'] },
  { needsClient: true, name: 'auth', arity: -2, flags: ANYTIME, keys: k0, handler: auth, categories: ['fast', 'connection'] },
  { needsClient: true, name: 'hello', arity: -1, flags: ANYTIME, keys: k0, handler: hello, categories: ['fast', 'connection'] },
  client,
];
