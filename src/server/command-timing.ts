// What happens with a command's execution time: the slow log and the
// latency monitor, and their CONFIG parameters. The dispatcher times every
// command and calls ran() only when the time reaches `floor`, the least
// either of them wants to hear about, so that a server where nothing is slow
// pays one comparison per command beyond the clock.

import type { ConfigTable } from './config.js';
import { LatencyMonitor } from './latency.js';
import { SlowLog, type SlowlogClient } from './slowlog.js';

/** What the timing needs to know of the command that ran (the dispatcher's Entry has these). */
export interface TimedCommand {
  readonly fast: boolean;
  readonly skipSlowlog: boolean;
}

const LLONG_MAX = 2n ** 63n - 1n;

export class CommandTiming {
  readonly slowlog: SlowLog;
  readonly latency: LatencyMonitor;
  /** Microseconds: a command that took less concerns neither the slow log nor the latency monitor. */
  floor = 0;

  constructor(nowSeconds: () => number) {
    this.slowlog = new SlowLog(nowSeconds);
    this.latency = new LatencyMonitor(nowSeconds);
    this.updateFloor();
  }

  /**
   * A command ran for `micros` (already known to reach the floor). As in
   * Redis, the latency monitor sees every command, the slow log neither a
   * command that blocked (it is logged once served, see served()) nor one
   * flagged skip_slowlog (EXEC: the commands it ran are logged instead).
   */
  ran(c: SlowlogClient, cmd: TimedCommand, argv: readonly string[], micros: number, blocked: boolean): void {
    this.latency.addIfNeeded(cmd.fast ? 'fast-command' : 'command', Math.floor(micros / 1000));
    if (!blocked && !cmd.skipSlowlog) this.slowlog.push(c, argv, micros);
  }

  /**
   * A blocked command was served: logged with the time of the call that
   * blocked plus the time serving it took, never the time it waited, as
   * Redis's updateStatsOnUnblock does.
   */
  served(c: SlowlogClient, argv: readonly string[], callMicros: number, serveMicros: number): void {
    this.latency.addIfNeeded('command-unblocking', Math.floor(serveMicros / 1000));
    this.slowlog.push(c, argv, callMicros + serveMicros);
  }

  private updateFloor(): void {
    const slow = this.slowlog.slowerThan < 0 ? Infinity : this.slowlog.slowerThan;
    const latency = this.latency.threshold === 0 ? Infinity : this.latency.threshold * 1000;
    this.floor = Math.min(slow, latency);
  }

  /** slowlog-log-slower-than, slowlog-max-len, latency-monitor-threshold, with Redis's ranges and errors. */
  registerConfig(t: ConfigTable): void {
    const long = (name: string, min: bigint, max: bigint, get: () => number, apply: (n: number) => void): void => {
      // The exact digits set, for values a double cannot hold (CONFIG GET answers them as set).
      let exact: string | null = null;
      t.register({
        name,
        get: () => (exact !== null && Number(exact) === get() ? exact : String(get())),
        set: (v) => {
          const n = /^-?\d+$/.test(v) ? BigInt(v) : null;
          // Beyond a 64-bit integer is a parse error too, as in Redis.
          if (n === null || n > LLONG_MAX || n < -LLONG_MAX - 1n) throw new Error("argument couldn't be parsed into an integer");
          if (n < min || n > max) throw new Error(`argument must be between ${min} and ${max} inclusive`);
          exact = n.toString();
          apply(Number(n));
          this.updateFloor();
        },
      });
    };
    long('slowlog-max-len', 0n, LLONG_MAX, () => this.slowlog.maxLen, (n) => (this.slowlog.maxLen = n));
    long('slowlog-log-slower-than', -1n, LLONG_MAX, () => this.slowlog.slowerThan, (n) => (this.slowlog.slowerThan = n));
    long('latency-monitor-threshold', 0n, LLONG_MAX, () => this.latency.threshold, (n) => (this.latency.threshold = n));
  }
}
