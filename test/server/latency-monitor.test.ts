// The latency monitor and the slow log on their own, with a clock the test
// moves: one sample per second per event (the worst), a ring of 160 seconds,
// DOCTOR's statistics and advice, and the slow log's trimming of its length.
import { describe, expect, it } from 'vitest';
import { LatencyMonitor } from '../../src/server/latency.js';
import { SlowLog } from '../../src/server/slowlog.js';

describe('LatencyMonitor', () => {
  it('records nothing while off or below the threshold; one sample per second, the worst of it', () => {
    let now = 1000;
    const m = new LatencyMonitor(() => now);
    m.addIfNeeded('command', 50);
    expect(m.latest()).toEqual([]);
    m.threshold = 10;
    m.addIfNeeded('command', 9);
    expect(m.latest()).toEqual([]);
    m.addIfNeeded('command', 12);
    m.addIfNeeded('command', 30);
    m.addIfNeeded('command', 20);
    now++;
    m.addIfNeeded('command', 15);
    expect(m.history('command')).toEqual([
      { time: 1000, latency: 30 },
      { time: 1001, latency: 15 },
    ]);
    expect(m.latest()).toEqual([{ event: 'command', time: 1001, latency: 15, max: 30 }]);
    expect(m.history('COMMAND')).toBeUndefined();
  });

  it('keeps the last 160 seconds that had a sample, oldest first', () => {
    let now = 1;
    const m = new LatencyMonitor(() => now);
    m.threshold = 1;
    for (let i = 0; i < 200; i++, now++) m.addIfNeeded('fast-command', 1 + (i % 7));
    const h = m.history('fast-command')!;
    expect(h.length).toBe(160);
    expect(h[0].time).toBe(41);
    expect(h[159].time).toBe(200);
  });

  it('RESET forgets one event in any case, or all, and counts them', () => {
    const m = new LatencyMonitor(() => 5);
    m.threshold = 1;
    m.addIfNeeded('command', 3);
    m.addIfNeeded('expire-cycle', 3);
    expect(m.reset('COMMAND')).toBe(1);
    expect(m.reset('nothing')).toBe(0);
    expect(m.reset()).toBe(1);
    expect(m.latest()).toEqual([]);
  });

  it('DOCTOR: average, mean deviation and period as Redis computes them, and the advice for each event', () => {
    let now = 100;
    const m = new LatencyMonitor(() => now);
    m.threshold = 5;
    m.addIfNeeded('command', 10);
    now += 2;
    m.addIfNeeded('command', 21);
    now += 2;
    const report = m.doctor(-1, 10);
    // avg (10+21)/2 = 15, deviation (5+6)/2 = 5, period 4 s over 2 samples.
    expect(report).toContain('1. command: 2 latency spikes (average 15ms, mean deviation 5ms, period 2.00 sec). Worst all time event 21ms.\n');
    expect(report).toContain("Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than 5000'.");
    expect(m.doctor(10_000, 10)).toContain("only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 5000'.");
    expect(m.doctor(1000, 10)).not.toContain('only logs events that are slower');
    m.addIfNeeded('expire-cycle', 6);
    expect(m.doctor(1000, 10)).toContain("'CONFIG SET hz 100'");
    expect(m.doctor(1000, 100)).not.toContain("'CONFIG SET hz 100'");
  });
});

describe('SlowLog', () => {
  it('logs at or over the threshold, newest first, trims to its length at the next push; -1 logs nothing', () => {
    const log = new SlowLog(() => 7);
    const c = { addr: '127.0.0.1:1', name: 'n' };
    log.slowerThan = 100;
    log.push(c, ['GET', 'a'], 99.9);
    log.push(c, ['GET', 'b'], 100);
    log.push(c, ['GET', 'c'], 250.7);
    expect(log.newest(10).map((e) => [e.id, e.duration, e.argv[1]])).toEqual([
      [1, 250, 'c'],
      [0, 100, 'b'],
    ]);
    log.maxLen = 1;
    expect(log.length).toBe(2);
    log.push(c, ['GET', 'd'], 0);
    expect(log.newest(10).map((e) => e.argv[1])).toEqual(['c']);
    log.slowerThan = -1;
    log.maxLen = 0;
    log.push(c, ['GET', 'e'], 1e9);
    // Off: not even the trimming happens, as in Redis.
    expect(log.length).toBe(1);
  });
});
