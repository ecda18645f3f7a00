// Which arguments of a command are keys: the first one routes the command to
// its slot's owner, all of them are checked for a transaction spanning slots.
// Commands not listed take their first argument as their only key (the shape
// of most data commands); keyless ones go to any primary.

/** How a command's keys are laid out (argument indexes exclude the command name). */
type KeySpec =
  | { readonly kind: 'none' }
  /** keys from `first` to `last` (negative: counted from the end, -1 = last) every `step` */
  | { readonly kind: 'range'; readonly first: number; readonly last: number; readonly step: number }
  /** the argument at `at` is a count of keys that follow it; `before` fixed keys precede it */
  | { readonly kind: 'numkeys'; readonly at: number; readonly before: number }
  /** XREAD/XREADGROUP: after STREAMS, the first half of what follows */
  | { readonly kind: 'streams' };

const NONE: KeySpec = { kind: 'none' };
const FIRST: KeySpec = { kind: 'range', first: 0, last: 0, step: 1 };
const range = (first: number, last: number, step = 1): KeySpec => ({ kind: 'range', first, last, step });

const SPECS = new Map<string, KeySpec>();
const define = (names: string, spec: KeySpec): void => {
  for (const name of names.split(' ')) SPECS.set(name, spec);
};

define(
  'PING ECHO INFO TIME DBSIZE FLUSHDB FLUSHALL CLUSTER CLIENT CONFIG COMMAND PUBLISH SUBSCRIBE UNSUBSCRIBE ' +
    'PSUBSCRIBE PUNSUBSCRIBE PUBSUB SCRIPT FUNCTION AUTH SELECT HELLO ASKING READONLY READWRITE ROLE WAIT KEYS SCAN ' +
    'RANDOMKEY MULTI EXEC DISCARD UNWATCH LASTSAVE SAVE BGSAVE BGREWRITEAOF MONITOR SLOWLOG QUIT RESET SHUTDOWN ' +
    'LATENCY ACL DEBUG SWAPDB FAILOVER REPLICAOF SLAVEOF MODULE LOLWUT',
  NONE,
);
define('DEL UNLINK EXISTS MGET TOUCH WATCH SINTER SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE PFCOUNT PFMERGE', range(0, -1));
define('MSET MSETNX', range(0, -1, 2));
define('BLPOP BRPOP BZPOPMIN BZPOPMAX', range(0, -2));
define('RPOPLPUSH BRPOPLPUSH LMOVE BLMOVE RENAME RENAMENX SMOVE COPY LCS GEOSEARCHSTORE ZRANGESTORE', range(0, 1));
define('ZUNIONSTORE ZINTERSTORE ZDIFFSTORE', { kind: 'numkeys', at: 1, before: 1 });
define('ZUNION ZINTER ZDIFF ZINTERCARD SINTERCARD LMPOP ZMPOP', { kind: 'numkeys', at: 0, before: 0 });
define('EVAL EVALSHA EVAL_RO EVALSHA_RO FCALL FCALL_RO BLMPOP BZMPOP', { kind: 'numkeys', at: 1, before: 0 });
define('XREAD XREADGROUP', { kind: 'streams' });
define('OBJECT XINFO XGROUP MEMORY', range(1, 1));

const specFor = (upper: string): KeySpec => SPECS.get(upper) ?? FIRST;

/** Every key of the command `upper` called with `args`, in order. */
export function commandKeys(upper: string, args: readonly unknown[]): unknown[] {
  const spec = specFor(upper);
  switch (spec.kind) {
    case 'none':
      return [];
    case 'range': {
      if (upper === 'MEMORY') return String(args[0]).toUpperCase() === 'USAGE' ? args.slice(1, 2) : [];
      const last = spec.last < 0 ? args.length + spec.last : Math.min(spec.last, args.length - 1);
      const keys: unknown[] = [];
      for (let i = spec.first; i <= last; i += spec.step) keys.push(args[i]);
      return keys;
    }
    case 'numkeys': {
      const count = Number(args[spec.at]);
      const fixed = args.slice(0, spec.before);
      if (!Number.isInteger(count) || count < 0) return fixed;
      return [...fixed, ...args.slice(spec.at + 1, spec.at + 1 + count)];
    }
    case 'streams': {
      const at = args.findIndex((a) => String(a).toUpperCase() === 'STREAMS');
      if (at === -1) return [];
      const rest = args.length - at - 1;
      return args.slice(at + 1, at + 1 + Math.floor(rest / 2));
    }
  }
}

/**
 * The key that routes the command, or undefined for a keyless one. The common
 * single-key shapes are answered without building an array.
 */
export function routingKey(upper: string, args: readonly unknown[]): unknown {
  const spec = specFor(upper);
  if (spec === FIRST || (spec.kind === 'range' && spec.first === 0 && upper !== 'MEMORY')) return args[0];
  if (spec.kind === 'none') return undefined;
  return commandKeys(upper, args)[0];
}
