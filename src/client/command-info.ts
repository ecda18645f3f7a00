// What the client must know about a command name beyond sending it: whether it
// blocks (so its timeout stretches), whether it would break reply matching (so
// call() refuses it), whether a RESP2 subscriber may send it. Looked up once per
// distinct spelling, then cached, to keep the per-command path to a Map lookup.

/** Static facts about one command name. */
export interface CommandInfo {
  /** Upper-case name, used in errors. */
  readonly upper: string;
  /** Why call() refuses it, or null when it may be sent. */
  readonly refusal: string | null;
  /** Allowed on a RESP2 connection in subscriber mode. */
  readonly allowedWhileSubscribed: boolean;
  /** For blocking commands: the block timeout in ms from the arguments (0 = forever). */
  readonly blockMs: ((args: readonly unknown[]) => number) | null;
  /** SELECT: the client remembers the db to restore it after a reconnect. */
  readonly isSelect: boolean;
  /** Whether {@link argumentRefusal} needs to look at the arguments. */
  readonly checkArgs: boolean;
}

const seconds = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.ceil(n * 1000) : 0;
};
const millis = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : 0;
};
const lastArgSeconds = (args: readonly unknown[]): number => seconds(args[args.length - 1]);
const firstArgSeconds = (args: readonly unknown[]): number => seconds(args[0]);
const lastArgMillis = (args: readonly unknown[]): number => millis(args[args.length - 1]);
const blockOption = (args: readonly unknown[]): number => {
  for (let i = 0; i < args.length - 1; i++) {
    if (String(args[i]).toUpperCase() === 'BLOCK') return millis(args[i + 1]) || 0;
  }
  return -1;
};

const BLOCKING: Record<string, (args: readonly unknown[]) => number> = {
  BLPOP: lastArgSeconds,
  BRPOP: lastArgSeconds,
  BRPOPLPUSH: lastArgSeconds,
  BLMOVE: lastArgSeconds,
  BZPOPMIN: lastArgSeconds,
  BZPOPMAX: lastArgSeconds,
  BLMPOP: firstArgSeconds,
  BZMPOP: firstArgSeconds,
  XREAD: blockOption,
  XREADGROUP: blockOption,
  WAIT: lastArgMillis,
  WAITAOF: lastArgMillis,
};

const USE_PUBSUB_API = 'use client.subscribe()/psubscribe()/unsubscribe()/punsubscribe() instead of call()';
const USE_SHARD_API = 'use client.ssubscribe()/sunsubscribe() instead of call()';
const REFUSED: Record<string, string> = {
  SUBSCRIBE: USE_PUBSUB_API,
  PSUBSCRIBE: USE_PUBSUB_API,
  UNSUBSCRIBE: USE_PUBSUB_API,
  PUNSUBSCRIBE: USE_PUBSUB_API,
  SSUBSCRIBE: USE_SHARD_API,
  SUNSUBSCRIBE: USE_SHARD_API,
  MONITOR: 'MONITOR turns the connection into a stream; use redis-cli monitor',
  SYNC: 'replication commands are not supported by this client',
  PSYNC: 'replication commands are not supported by this client',
  RESET: 'RESET would desynchronise the client; use disconnect() and a new client',
};

const ALLOWED_WHILE_SUBSCRIBED = new Set(['PING', 'QUIT']);

const cache = new Map<string, CommandInfo>();

/** Facts about `name` (any case). */
export function commandInfo(name: string): CommandInfo {
  let info = cache.get(name);
  if (info === undefined) {
    const upper = name.toUpperCase();
    info = {
      upper,
      refusal: REFUSED[upper] ?? null,
      allowedWhileSubscribed: ALLOWED_WHILE_SUBSCRIBED.has(upper),
      blockMs: BLOCKING[upper] ?? null,
      isSelect: upper === 'SELECT',
      checkArgs: upper === 'HELLO' || upper === 'CLIENT',
    };
    // Bounded so that a caller inventing names cannot grow it forever.
    if (cache.size < 2000) cache.set(name, info);
  }
  return info;
}

/**
 * Refusals that depend on arguments: HELLO with a protocol version (the client
 * negotiates that itself) and CLIENT REPLY (replies would stop matching commands).
 */
export function argumentRefusal(info: CommandInfo, args: readonly unknown[]): string | null {
  if (info.upper === 'HELLO' && args.length > 0) return 'set protocol, username and password through the client options';
  if (info.upper === 'CLIENT' && typeof args[0] === 'string' && args[0].toUpperCase() === 'REPLY') {
    return 'CLIENT REPLY would make replies stop matching commands';
  }
  return null;
}
