// The latency monitor (Redis's latency.c): with `latency-monitor-threshold`
// set (ms; 0 is off), events that took at least that long are kept per
// event name, one sample per second (the worst of that second), the last 160
// seconds that had one. LATENCY LATEST/HISTORY/RESET/DOCTOR read them.
//
// What simpledb records, each measured where it happens:
// - "command" and "fast-command": a command's execution (Dispatcher.call),
//   by whether the command is flagged fast, as Redis 7.0 does;
// - "command-unblocking": serving a blocked client's command when its key
//   was written (BlockingManager.serve);
// - "expire-cycle": one pass of active expiry.
// Redis's fork, AOF and eviction events have no counterpart here: simpledb
// does not fork, and its AOF writes are asynchronous.

import { readFileSync } from 'node:fs';

const HISTORY_LENGTH = 160;

interface Sample {
  /** Unix seconds; 0 is an empty slot. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

/** One event's samples: a ring of HISTORY_LENGTH, and the worst ever. */
interface Series {
  next: number;
  max: number;
  samples: Sample[];
}

export class LatencyMonitor {
  /** Milliseconds; 0 disables sampling. */
  threshold = 0;
  private readonly events = new Map<string, Series>();

  constructor(private readonly nowSeconds: () => number) {}

  /** Records `ms` for event when monitoring is on and it reaches the threshold. */
  addIfNeeded(event: string, ms: number): void {
    if (this.threshold !== 0 && ms >= this.threshold) this.add(event, ms);
  }

  private add(event: string, ms: number): void {
    let s = this.events.get(event);
    if (s === undefined) {
      s = { next: 0, max: 0, samples: Array.from({ length: HISTORY_LENGTH }, () => ({ time: 0, latency: 0 })) };
      this.events.set(event, s);
    }
    if (ms > s.max) s.max = ms;
    const now = this.nowSeconds();
    const prev = s.samples[(s.next + HISTORY_LENGTH - 1) % HISTORY_LENGTH];
    // One sample per second: the worst of it.
    if (prev.time === now) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    s.samples[s.next] = { time: now, latency: ms };
    s.next = (s.next + 1) % HISTORY_LENGTH;
  }

  /** Forgets one event (any case) or, without a name, all; returns how many were. */
  reset(event?: string): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === undefined || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }

  /** The samples of one event (its exact name), oldest first; undefined when it has none. */
  history(event: string): Sample[] | undefined {
    const s = this.events.get(event);
    if (s === undefined) return undefined;
    const out: Sample[] = [];
    for (let j = 0; j < HISTORY_LENGTH; j++) {
      const sample = s.samples[(s.next + j) % HISTORY_LENGTH];
      if (sample.time !== 0) out.push(sample);
    }
    return out;
  }

  /** Each event's latest sample and all-time worst. */
  latest(): { event: string; time: number; latency: number; max: number }[] {
    return [...this.events].map(([event, s]) => {
      const last = s.samples[(s.next + HISTORY_LENGTH - 1) % HISTORY_LENGTH];
      return { event, time: last.time, latency: last.latency, max: s.max };
    });
  }

  /**
   * LATENCY DOCTOR's report, worded as Redis words it for the events
   * simpledb records. `slowerThan` is slowlog-log-slower-than (µs), `hz`
   * the server's cron frequency.
   */
  doctor(slowerThan: number, hz: number): string {
    if (this.events.size === 0 && this.threshold === 0) return DISABLED;
    let report = '';
    const advise = new Set<string>();
    let n = 0;
    for (const [event, s] of this.events) {
      n++;
      if (n === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
      const st = stats(s, this.nowSeconds());
      report += `${n}. ${event}: ${st.samples} latency spikes (average ${st.avg}ms, mean deviation ${st.mad}ms, period ${(st.period / st.samples).toFixed(2)} sec). Worst all time event ${s.max}ms.`;
      const lower = event.toLowerCase();
      if (lower === 'command') {
        if (slowerThan < 0) advise.add('slowlog-enabled');
        else if (Math.trunc(slowerThan / 1000) > this.threshold) advise.add('slowlog-tuning');
        advise.add('slowlog-inspect').add('large-objects');
      } else if (lower === 'fast-command') advise.add('scheduler');
      else if (lower === 'expire-cycle') advise.add('hz').add('large-objects');
      report += '\n';
    }
    if (anonHugePagesBytes() > 0) advise.add('thp');
    if (n === 0 && advise.size === 0) return report + NO_SPIKES;
    if (n > 0 && advise.size === 0) return report + NO_ADVICE;
    report += '\nI have a few advices for you:\n\n';
    const ms = this.threshold * 1000;
    if (advise.has('slowlog-enabled')) {
      report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${ms}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
    }
    if (advise.has('slowlog-tuning')) {
      report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${ms}'.\n`;
    }
    if (advise.has('slowlog-inspect')) report += ADVICE_INSPECT;
    if (advise.has('scheduler')) report += ADVICE_SCHEDULER;
    if (advise.has('hz') && hz < 100) report += ADVICE_HZ;
    if (advise.has('large-objects')) report += ADVICE_LARGE_OBJECTS;
    if (advise.has('thp')) report += ADVICE_THP;
    return report;
  }
}

/** Average, mean absolute deviation and the span of an event's samples, in whole units as Redis computes them. */
function stats(s: Series, now: number): { samples: number; avg: number; mad: number; period: number } {
  const live = s.samples.filter((x) => x.time !== 0);
  if (live.length === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
  const avg = Math.floor(live.reduce((sum, x) => sum + x.latency, 0) / live.length);
  const mad = Math.floor(live.reduce((sum, x) => sum + Math.abs(avg - x.latency), 0) / live.length);
  const oldest = Math.min(...live.map((x) => x.time));
  return { samples: live.length, avg, mad, period: now - oldest || 1 };
}

/** Transparent huge pages this process has (Redis advises against them). */
function anonHugePagesBytes(): number {
  try {
    const m = /^AnonHugePages:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const DISABLED =
  'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
const NO_SPIKES =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
const NO_ADVICE =
  "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
const ADVICE_INSPECT =
  '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
const ADVICE_SCHEDULER =
  '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
  '  1) Lower the system load.\n' +
  '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
  '  3) Check if you have a "noisy neighbour" problem.\n' +
  "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
  '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
const ADVICE_HZ =
  "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
const ADVICE_LARGE_OBJECTS =
  '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
const ADVICE_THP =
  "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n";
