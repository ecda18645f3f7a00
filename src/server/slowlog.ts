// The slow log (Redis's slowlog.c): commands whose execution took at least
// `slowlog-log-slower-than` microseconds, newest first, at most
// `slowlog-max-len` of them. An entry keeps what Redis keeps: a trimmed copy
// of the arguments (credentials redacted), when, how long, and who.
//
// The dispatcher times every command (see Dispatcher.call) and calls push()
// only when the command was slow: a server where nothing is slow does one
// comparison per command here.

import { redactedArguments } from './redaction.js';

/** Redis keeps at most this many arguments; the last one says how many more there were. */
const MAX_ARGC = 32;
/** Longer arguments are cut to this many bytes, with how many more there were. */
const MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  /** Unix time in seconds. */
  time: number;
  /** Microseconds. */
  duration: number;
  argv: string[];
  /** ip:port of the client. */
  addr: string;
  name: string;
}

/** Who ran the command: what an entry records of the client. */
export interface SlowlogClient {
  readonly addr: string;
  readonly name: string;
}

export class SlowLog {
  /** In µs; negative: the slow log is off. Redis's default is 10 ms. */
  slowerThan = 10_000;
  maxLen = 128;
  /** Newest first. */
  private entries: SlowlogEntry[] = [];
  private nextId = 0;

  constructor(private readonly nowSeconds: () => number) {}

  get length(): number {
    return this.entries.length;
  }

  /** The newest `count` entries. */
  newest(count: number): readonly SlowlogEntry[] {
    return this.entries.slice(0, count);
  }

  /**
   * Logs the command when it took at least the threshold, then trims the log
   * to its length: as in Redis, a lowered slowlog-max-len takes effect at the
   * next command that reaches here.
   */
  push(c: SlowlogClient, argv: readonly string[], micros: number): void {
    // micros is fractional: for an integer threshold, micros >= n exactly when its whole part is.
    if (this.slowerThan < 0) return;
    if (micros >= this.slowerThan) {
      this.entries.unshift({ id: this.nextId++, time: this.nowSeconds(), duration: Math.floor(micros), argv: trimmedArguments(argv), addr: c.addr, name: c.name });
    }
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }

  reset(): void {
    this.entries = [];
  }
}

/** The arguments as an entry keeps them: at most 32, each at most 128 bytes, credentials hidden. */
function trimmedArguments(argv: readonly string[]): string[] {
  const argc = Math.min(argv.length, MAX_ARGC);
  const redacted = redactedArguments(argv as string[]);
  const out: string[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) out.push(`... (${argv.length - argc + 1} more arguments)`);
    else if (redacted?.includes(j)) out.push('(redacted)');
    else if (argv[j].length > MAX_STRING) out.push(`${argv[j].slice(0, MAX_STRING)}... (${argv[j].length - MAX_STRING} more bytes)`);
    else out.push(argv[j]);
  }
  return out;
}
