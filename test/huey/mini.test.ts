// MiniHuey: immediate, scheduled (delay/eta) and crontab tasks driven by tick(now), pool bounds, errors, start/stop.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crontab } from '../../src/huey/crontab.js';
import { MiniHuey, MiniResult, ResultTimeoutError, type MiniLogger } from '../../src/huey/mini.js';

interface Recorded {
  level: keyof MiniLogger;
  message: string;
  extra: unknown[];
}

function recordingLogger(): MiniLogger & { lines: Recorded[]; errors: () => Recorded[] } {
  const lines: Recorded[] = [];
  const at = (level: keyof MiniLogger) => (message: string, ...extra: unknown[]) => {
    lines.push({ level, message, extra });
  };
  return {
    lines,
    errors: () => lines.filter((l) => l.level === 'error'),
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
  };
}

/** A promise the test settles by hand, to hold a task "running" as long as it likes. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A clock the test moves by hand. */
function manualClock(start: Date) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = d.getTime();
    },
    advance: (seconds: number) => {
      t += seconds * 1000;
      return new Date(t);
    },
  };
}

/** Lets queued microtasks and promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const T0 = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));
const started: MiniHuey[] = [];

afterEach(async () => {
  for (const mini of started.splice(0)) await mini.stop();
});

describe('MiniHuey: immediate tasks', () => {
  it('runs a call asynchronously and get() gives its value', async () => {
    const mini = new MiniHuey('test', { logger: recordingLogger() });
    const calls: number[][] = [];
    const add = mini.task((a: number, b: number) => {
      calls.push([a, b]);
      return a + b;
    });
    const res = add(1, 2);
    // The caller gets the result object before the function has run.
    expect(calls).toEqual([]);
    expect(res).toBeInstanceOf(MiniResult);
    expect(res.ready()).toBe(false);
    expect(await res.get()).toBe(3);
    expect(calls).toEqual([[1, 2]]);
    expect(res.ready()).toBe(true);
    expect(res.successful()).toBe(true);
    expect(res.status).toBe('finished');
    expect(res.value).toBe(3);
    expect(res.eta).toBeNull();
    // get() may be called again: unlike the Redis result store, nothing is consumed.
    expect(await res.get()).toBe(3);
  });

  it('awaits async functions, and runs without start()', async () => {
    const mini = new MiniHuey();
    const fetchUrl = mini.task(async (url: string) => {
      await settle();
      return `<html>${url}</html>`;
    });
    expect(mini.isRunning).toBe(false);
    await expect(fetchUrl('https://www.google.com/').get()).resolves.toBe('<html>https://www.google.com/</html>');
  });

  it('names tasks and results after the function, or options.name', () => {
    const mini = new MiniHuey();
    function countBeans(n: number) {
      return n;
    }
    const named = mini.task(countBeans);
    const renamed = mini.task(countBeans, { name: 'beans' });
    const anonymous = mini.task(((x: number) => x) as (x: number) => number, { name: '' });
    expect(named.name).toBe('countBeans');
    expect(renamed.name).toBe('beans');
    expect(renamed(1).name).toBe('beans');
    expect(typeof anonymous.name).toBe('string');
    expect(anonymous.name.length).toBeGreaterThan(0);
    expect(named(1).id).not.toBe(named(1).id);
  });

  it('callLocal runs the function here and now', () => {
    const mini = new MiniHuey();
    const double = mini.task((x: number) => x * 2);
    expect(double.callLocal(21)).toBe(42);
    expect(mini.activeCount).toBe(0);
  });

  it('get({ timeout }) gives up with ResultTimeoutError while the task goes on', async () => {
    const mini = new MiniHuey();
    const g = gate<string>();
    const slow = mini.task(() => g.promise);
    const res = slow();
    const err = await res.get({ timeout: 0.01 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultTimeoutError);
    expect((err as ResultTimeoutError).id).toBe(res.id);
    expect(res.status).toBe('running');
    g.open('done');
    await expect(res.get({ timeout: 5 })).resolves.toBe('done');
    await expect(res.get({ timeout: -1 })).resolves.toBe('done'); // ready: the timeout does not matter
    await expect(slow().get({ timeout: -1 })).rejects.toThrow(RangeError);
  });
});

describe('MiniHuey: errors', () => {
  it('rejects get() with the task\'s own error, logs it, and goes on', async () => {
    const logger = recordingLogger();
    const mini = new MiniHuey('test', { logger });
    const boom = new Error('boom');
    const fails = mini.task(function fails() {
      throw boom;
    });
    const failsAsync = mini.task(async (why: string) => {
      await settle();
      throw new TypeError(why);
    });
    const ok = mini.task(() => 'ok');

    const r1 = fails();
    const r2 = failsAsync('nope');
    await expect(r1.get()).rejects.toBe(boom);
    await expect(r2.get()).rejects.toThrow(TypeError);
    expect(r1.status).toBe('failed');
    expect(r1.successful()).toBe(false);
    expect(r1.ready()).toBe(true);
    expect(r1.error).toBe(boom);
    expect(r1.value).toBeUndefined();
    expect(logger.errors().map((l) => l.message)).toEqual([
      expect.stringContaining('fails'),
      expect.stringContaining('failed'),
    ]);
    expect(logger.errors()[0]!.extra).toContain(boom);
    expect(await ok().get()).toBe('ok');
    expect(mini.activeCount).toBe(0);
  });

  it('a failure nobody reads is only logged (no unhandled rejection)', async () => {
    const logger = recordingLogger();
    const mini = new MiniHuey('test', { logger });
    const fails = mini.task(() => {
      throw new Error('unread');
    });
    fails();
    await mini.join();
    await settle();
    expect(logger.errors()).toHaveLength(1);
  });

  it('a logger that throws does not break the pool', async () => {
    const throwing: MiniLogger = {
      debug: () => { throw new Error('logger down'); },
      info: () => { throw new Error('logger down'); },
      warn: () => { throw new Error('logger down'); },
      error: () => { throw new Error('logger down'); },
    };
    const mini = new MiniHuey('test', { logger: throwing, poolSize: 1 });
    const fails = mini.task(() => {
      throw new Error('task failure');
    });
    const ok = mini.task(() => 'still fine');
    const failed = fails();
    const after = ok();
    await expect(failed.get()).rejects.toThrow('task failure');
    expect(await after.get()).toBe('still fine');
    expect(mini.activeCount).toBe(0);
  });

  it('a failing scheduled or periodic task does not stop the scheduler', async () => {
    const clock = manualClock(T0);
    const logger = recordingLogger();
    const mini = new MiniHuey('test', { now: clock.now, utc: true, logger });
    const runs: string[] = [];
    const fails = mini.task(() => {
      runs.push('fails');
      throw new Error('scheduled failure');
    });
    mini.task(() => {
      runs.push('periodic-fails');
      throw new Error('periodic failure');
    }, { validate: crontab({ minute: '*' }) });
    const ok = mini.task((x: number) => {
      runs.push(`ok ${x}`);
      return x;
    });
    fails.schedule({ delay: 1 });
    const later = ok.schedule({ args: [2], delay: 61 });
    mini.tick(clock.advance(1));
    await mini.join();
    mini.tick(clock.advance(60));
    await mini.join();
    expect(await later.get()).toBe(2);
    expect(runs).toEqual(['periodic-fails', 'fails', 'periodic-fails', 'ok 2']);
    expect(logger.errors()).toHaveLength(3);
  });

  it('a validator that throws is logged and skipped; the others still run', async () => {
    const logger = recordingLogger();
    const mini = new MiniHuey('test', { logger });
    const runs: string[] = [];
    mini.task(() => runs.push('bad'), {
      name: 'bad',
      validate: () => {
        throw new Error('validator broke');
      },
    });
    mini.task(() => runs.push('good'), { name: 'good', validate: () => true });
    const report = mini.tick(T0);
    await mini.join();
    expect(runs).toEqual(['good']);
    expect(report.periodic.map((r) => r.name)).toEqual(['good']);
    expect(logger.errors()[0]!.message).toMatch(/bad.*validator threw/);
  });
});

describe('MiniHuey: scheduled tasks (injected clock)', () => {
  it('runs schedule({ delay }) at the first tick once the delay has passed', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { now: clock.now });
    const calls: string[] = [];
    const fetchUrl = mini.task((url: string) => {
      calls.push(url);
      return url.length;
    });
    const res = fetchUrl.schedule({ args: ['https://www.yahoo.com/'], delay: 30 });
    expect(res.status).toBe('scheduled');
    expect(res.eta).toEqual(new Date(T0.getTime() + 30_000));
    expect(mini.scheduledCount).toBe(1);

    expect(mini.tick(clock.advance(29)).scheduled).toEqual([]);
    await settle();
    expect(calls).toEqual([]);
    expect(res.ready()).toBe(false);

    const report = mini.tick(clock.advance(1));
    expect(report.scheduled).toEqual([res]);
    expect(await res.get()).toBe('https://www.yahoo.com/'.length);
    expect(calls).toEqual(['https://www.yahoo.com/']);
    expect(mini.scheduledCount).toBe(0);
    // Already run: a later tick does not run it again.
    mini.tick(clock.advance(60));
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('runs schedule({ eta }) when the clock reaches the eta', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { now: clock.now });
    const echo = mini.task((x: string) => x);
    const eta = new Date(T0.getTime() + 3_600_000);
    const res = echo.schedule({ args: ['later'], eta });
    expect(res.eta).toEqual(eta);
    mini.tick(new Date(eta.getTime() - 1));
    await settle();
    expect(res.ready()).toBe(false);
    mini.tick(new Date(eta.getTime() + 5_000));
    expect(await res.get()).toBe('later');
  });

  it('runs due tasks in eta order, equal etas in the order they were scheduled', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { now: clock.now, poolSize: 1 });
    const order: string[] = [];
    const note = mini.task((label: string) => {
      order.push(label);
    });
    note.schedule({ args: ['c'], delay: 30 });
    note.schedule({ args: ['a'], delay: 10 });
    note.schedule({ args: ['d'], delay: 30 });
    note.schedule({ args: ['b'], eta: new Date(T0.getTime() + 20_000) });
    note.schedule({ args: ['e'], delay: 90 });
    note.schedule({ args: ['past'], delay: -5 });
    mini.tick(clock.advance(60));
    await mini.join();
    expect(order).toEqual(['past', 'a', 'b', 'c', 'd']);
    expect(mini.scheduledCount).toBe(1);
  });

  it('a scheduled task waits for the scheduler: nothing runs without a tick', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { now: clock.now });
    const res = mini.task(() => 1).schedule({ delay: 0 });
    await settle();
    expect(res.status).toBe('scheduled');
    mini.tick();
    expect(await res.get()).toBe(1);
  });

  it('rejects bad schedule() options', () => {
    const mini = new MiniHuey();
    const t = mini.task((x: number) => x);
    expect(() => t.schedule({ args: [1], delay: 10, eta: new Date() })).toThrow(/either a delay or an eta, not both/);
    expect(() => t.schedule({ args: [1] })).toThrow(/delay .* or an eta .* must be given/);
    expect(() => t.schedule({ delay: Number.NaN })).toThrow(TypeError);
    expect(() => t.schedule({ delay: '10' as unknown as number })).toThrow(TypeError);
    expect(() => t.schedule({ eta: new Date(Number.NaN) })).toThrow(TypeError);
    expect(() => t.schedule({ eta: '2024-01-01' as unknown as Date })).toThrow(TypeError);
    expect(() => t.schedule({ args: 1 as unknown as [number], delay: 1 })).toThrow(/args must be an array/);
    expect(mini.scheduledCount).toBe(0);
  });
});

describe('MiniHuey: periodic (crontab) tasks via tick(now)', () => {
  let saved: string | undefined;
  beforeAll(() => {
    // A zone away from UTC, so that the utc option visibly matters.
    saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('runs a crontab task in each matching minute, once per minute', async () => {
    const mini = new MiniHuey('test', { utc: true });
    let runs = 0;
    const runBackup = mini.task(() => {
      runs++;
    }, { name: 'runBackup', validate: crontab({ minute: '0', hour: '4' }) });
    expect(mini.periodicTasks).toEqual(['runBackup']);
    expect(runBackup.validate).toBeTypeOf('function');

    const at = (d: number, h: number, m: number, s = 0) => new Date(Date.UTC(2024, 0, d, h, m, s));
    expect(mini.tick(at(1, 3, 59, 59)).periodic).toHaveLength(0);
    const hit = mini.tick(at(1, 4, 0, 1));
    expect(hit.periodic.map((r) => r.name)).toEqual(['runBackup']);
    await hit.periodic[0]!.get();
    expect(mini.tick(at(1, 4, 0, 30)).periodic).toHaveLength(0); // the same minute is checked once
    expect(mini.tick(at(1, 4, 1, 0)).periodic).toHaveLength(0);
    expect(mini.tick(at(2, 4, 0, 0)).periodic).toHaveLength(1);
    await mini.join();
    expect(runs).toBe(2);
  });

  it('evaluates crontabs in local time unless utc is set', async () => {
    const fourLocal = new Date(2024, 0, 1, 4, 0); // 09:00 UTC in New York's winter
    const fourUtc = new Date(Date.UTC(2024, 0, 1, 4, 0));
    const localMini = new MiniHuey('local');
    const utcMini = new MiniHuey('utc', { utc: true });
    for (const m of [localMini, utcMini]) m.task(() => m.name, { validate: crontab({ minute: '0', hour: '4' }) });

    // Ticks in time order (04:00 UTC comes first), since a minute is checked only once.
    expect(localMini.tick(fourUtc).periodic).toHaveLength(0);
    expect(utcMini.tick(fourUtc).periodic).toHaveLength(1);
    expect(localMini.tick(fourLocal).periodic).toHaveLength(1);
    expect(utcMini.tick(fourLocal).periodic).toHaveLength(0);
    await Promise.all([localMini.join(), utcMini.join()]);
  });

  it('passes the tick time and the utc option to a custom validator', () => {
    const seen: [string, boolean | undefined][] = [];
    const mini = new MiniHuey('test', { utc: true });
    mini.task(() => undefined, {
      validate: (date, opts) => {
        seen.push([date.toISOString(), opts?.utc]);
        return false;
      },
    });
    mini.tick(T0);
    expect(seen).toEqual([[T0.toISOString(), true]]);
  });

  it('does not re-check a minute when the clock goes back', () => {
    const mini = new MiniHuey('test');
    mini.task(() => undefined, { validate: () => true });
    expect(mini.tick(T0).periodic).toHaveLength(1);
    expect(mini.tick(new Date(T0.getTime() - 60_000)).periodic).toHaveLength(0);
    expect(mini.tick(new Date(T0.getTime() + 60_000)).periodic).toHaveLength(1);
  });

  it('a periodic task can also be called directly', async () => {
    const mini = new MiniHuey();
    const t = mini.task(() => 'now', { validate: crontab({ minute: '0', hour: '4' }) });
    expect(await t().get()).toBe('now');
  });

  it('rejects a tick at an invalid Date', () => {
    expect(() => new MiniHuey().tick(new Date(Number.NaN))).toThrow(TypeError);
  });
});

describe('MiniHuey: poolSize', () => {
  async function runGated(mini: MiniHuey, count: number) {
    const gates = Array.from({ length: count }, () => gate());
    let concurrent = 0;
    let maxConcurrent = 0;
    const startOrder: number[] = [];
    const work = mini.task(async (i: number) => {
      startOrder.push(i);
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await gates[i]!.promise;
      concurrent--;
      return i;
    });
    const results = Array.from({ length: count }, (_, i) => work(i));
    await settle();
    return { gates, results, startOrder, max: () => maxConcurrent, current: () => concurrent };
  }

  it('never runs more than poolSize tasks at once; the rest wait in call order', async () => {
    const mini = new MiniHuey('test', { poolSize: 2 });
    const run = await runGated(mini, 6);
    expect(run.current()).toBe(2);
    expect(mini.activeCount).toBe(2);
    expect(mini.waitingCount).toBe(4);
    expect(run.results.map((r) => r.status)).toEqual(['running', 'running', 'waiting', 'waiting', 'waiting', 'waiting']);

    // Finish them out of order; each freed slot goes to the longest-waiting call.
    run.gates[1]!.open();
    await settle();
    expect(run.startOrder).toEqual([0, 1, 2]);
    run.gates[0]!.open();
    await settle();
    expect(run.startOrder).toEqual([0, 1, 2, 3]);
    for (const g of run.gates) g.open();
    expect(await Promise.all(run.results.map((r) => r.get()))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(run.max()).toBe(2);
    expect(run.startOrder).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mini.activeCount).toBe(0);
    expect(mini.waitingCount).toBe(0);
  });

  it('poolSize 1 runs tasks one after another, scheduled and periodic ones included', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { poolSize: 1, now: clock.now });
    let concurrent = 0;
    let max = 0;
    const body = async () => {
      concurrent++;
      max = Math.max(max, concurrent);
      await settle();
      concurrent--;
    };
    const t = mini.task(body);
    mini.task(body, { validate: () => true });
    t.schedule({ delay: 0 });
    t.schedule({ delay: 0 });
    t();
    mini.tick();
    expect(mini.activeCount).toBe(1);
    expect(mini.waitingCount).toBe(3);
    await mini.join();
    expect(max).toBe(1);
  });

  it('without poolSize, every call runs at once', async () => {
    const mini = new MiniHuey('test');
    const run = await runGated(mini, 6);
    expect(run.max()).toBe(6);
    expect(mini.waitingCount).toBe(0);
    for (const g of run.gates) g.open();
    await mini.join();
  });

  it('rejects a poolSize or interval that makes no sense', () => {
    for (const poolSize of [0, -1, 1.5, Number.NaN]) {
      expect(() => new MiniHuey('x', { poolSize })).toThrow(/poolSize must be a whole number >= 1/);
    }
    expect(new MiniHuey('x', { poolSize: Infinity }).poolSize).toBe(Infinity);
    expect(() => new MiniHuey('x', { interval: 0 })).toThrow(/interval/);
    expect(() => new MiniHuey('x', { interval: Number.POSITIVE_INFINITY })).toThrow(/interval/);
  });

  it('rejects a task that is not a function, or a validate that is not one', () => {
    const mini = new MiniHuey();
    expect(() => mini.task('nope' as unknown as () => void)).toThrow(TypeError);
    expect(() => mini.task(() => undefined, { validate: '0 4 * * *' as never })).toThrow(/validate must be a function/);
  });
});

describe('MiniHuey: start() and stop()', () => {
  it('start() runs a pass at once; a second start() is an error; stop() ends the timer', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { now: clock.now, interval: 60 });
    started.push(mini);
    const res = mini.task(() => 'due').schedule({ delay: 0 });
    mini.start();
    expect(mini.isRunning).toBe(true);
    expect(await res.get()).toBe('due');
    expect(() => mini.start()).toThrow(/already running/);
    await mini.stop();
    expect(mini.isRunning).toBe(false);
    // Stopping again only waits; starting again works.
    await mini.stop();
    mini.start();
    expect(mini.isRunning).toBe(true);
  });

  it('the timer keeps checking: a task scheduled after start() runs without a manual tick', async () => {
    const mini = new MiniHuey('test', { interval: 0.005 });
    started.push(mini);
    mini.start();
    const res = mini.task((x: number) => x + 1).schedule({ args: [1], delay: 0 });
    expect(await res.get()).toBe(2);
  });

  it('stop() waits for running and waiting tasks to finish', async () => {
    const mini = new MiniHuey('test', { poolSize: 1 });
    mini.start();
    const g = gate();
    const done: number[] = [];
    const t = mini.task(async (i: number) => {
      await g.promise;
      done.push(i);
    });
    t(1);
    t(2);
    let stopped = false;
    const stopping = mini.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    expect(mini.isRunning).toBe(false);
    g.open();
    await stopping;
    expect(done).toEqual([1, 2]);
  });

  it('scheduled tasks not yet due survive stop() and run after the next start()', async () => {
    const clock = manualClock(T0);
    const mini = new MiniHuey('test', { now: clock.now, interval: 60 });
    started.push(mini);
    const res = mini.task(() => 'kept').schedule({ delay: 30 });
    mini.start();
    await mini.stop();
    expect(res.status).toBe('scheduled');
    clock.advance(30);
    mini.start();
    expect(await res.get()).toBe('kept');
  });

  it('a scheduler pass that throws (a broken clock) is logged, not thrown', async () => {
    const logger = recordingLogger();
    const mini = new MiniHuey('test', { now: () => new Date(Number.NaN), logger, interval: 60 });
    started.push(mini);
    expect(() => mini.start()).not.toThrow();
    expect(logger.errors()[0]!.message).toMatch(/scheduler pass failed/);
  });
});
