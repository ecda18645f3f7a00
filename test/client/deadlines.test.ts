// Deadlines on their own: oldest-first expiry with one timer, pruning of answered
// commands, and clear() on close. Fake timers, so no test waits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from '../../src/client/deadlines.js';
import { TimeoutError } from '../../src/client/errors.js';
import { PendingCommand } from '../../src/client/pending-command.js';

function command(name: string, log: string[]): PendingCommand {
  return new PendingCommand(name, name, [], false, () => log.push(`${name} ok`), (e) => log.push(`${name} ${e.message}`));
}

describe('Deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives nothing a deadline when commandTimeout is 0', () => {
    const d = new Deadlines(0, () => {});
    const log: string[] = [];
    const cmd = command('GET', log);
    d.set(cmd, 0);
    expect(d.enabled).toBe(false);
    expect(cmd.deadline).toBe(0);
    expect(d.length).toBe(0);
  });

  it('rejects expired commands with TimeoutError, telling onExpired first, and leaves answered ones alone', () => {
    const expired: string[] = [];
    const log: string[] = [];
    const d = new Deadlines(100, (cmd) => expired.push(`${cmd.name} done=${cmd.done}`));
    const get = command('GET', log);
    const set = command('SET', log);
    const blpop = command('BLPOP', log);
    d.set(get, 0);
    d.set(set, 0);
    d.set(blpop, 500);
    expect(blpop.timeoutMs).toBe(600);
    set.done = true; // answered before its deadline
    vi.advanceTimersByTime(101);
    expect(log).toEqual(['GET GET timed out after 100 ms']);
    expect(expired).toEqual(['GET done=true']);
    expect(d.length).toBe(1);
    vi.advanceTimersByTime(500);
    expect(log).toEqual(['GET GET timed out after 100 ms', 'BLPOP BLPOP timed out after 600 ms']);
    expect(d.length).toBe(0);
    let error: unknown;
    const late = new PendingCommand('GET', 'GET', [], false, () => {}, (e) => (error = e));
    d.set(late, 0);
    vi.advanceTimersByTime(101);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).command).toBe('GET');
  });

  it('a command behind a longer deadline is checked once that one is over', () => {
    const log: string[] = [];
    const d = new Deadlines(100, () => {});
    const blocking = command('BRPOP', log);
    const quick = command('PING', log);
    d.set(blocking, 1000);
    d.set(quick, 0);
    vi.advanceTimersByTime(200);
    expect(log).toEqual([]);
    blocking.done = true;
    d.answered(blocking);
    expect(d.length).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['PING PING timed out after 100 ms']);
  });

  it('answered() drops settled commands from the head only', () => {
    const log: string[] = [];
    const d = new Deadlines(1000, () => {});
    const cmds = ['A', 'B', 'C'].map((n) => command(n, log));
    for (const c of cmds) d.set(c, 0);
    (cmds[1] as PendingCommand).done = true;
    d.answered(cmds[2] as PendingCommand);
    expect(d.length).toBe(3);
    d.answered(cmds[0] as PendingCommand);
    expect(d.length).toBe(1);
  });

  it('clear() forgets every deadline and stops the timer', () => {
    const log: string[] = [];
    const d = new Deadlines(50, () => {});
    d.set(command('GET', log), 0);
    d.clear();
    expect(d.length).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual([]);
  });
});
