// Static typing of the public API: argument and result types flow from the task
// function to calls, s(), schedule() and TaskResult. The @ts-expect-error lines
// are checked by `npm run typecheck`; the runtime assertions by vitest.
import { describe, expect, it } from 'vitest';
import { Consumer, MemoryHuey, PoolConsumer, QueueTask, TaskResult, silentLogger } from '../../src/huey/index.js';
import { runQueued } from './helpers.js';

describe('typed tasks', () => {
  it('argument and result types flow through calls and results', async () => {
    const huey = new MemoryHuey('types', { logger: silentLogger, readTimeout: 0.01 });
    const add = huey.task((a: number, b: number) => a + b, { name: 'add' });
    const fib = huey.task((a: number, b = 1): [number, number] => [a + b, a], { name: 'fib' });
    const greet = huey.task(async (name: string) => `hi ${name}`, { name: 'greet' });
    const withTask = huey.task((x: number, task: QueueTask) => `${task.name}:${x}`, { name: 'with_task', includeTask: true });
    const withRetries = huey.task((x: number, retries: number) => x + retries, { name: 'with_retries', retriesAsArgument: true, retries: 1 });

    const r1: TaskResult<number> = await add(1, 2);
    const r2: TaskResult<[number, number]> = await fib(1);
    const r3: TaskResult<string> = await greet('bob');
    const r4: TaskResult<string> = await withTask(7);
    const r5: TaskResult<number> = await withRetries(10);
    const s: QueueTask<number> = add.s(3, 4);
    const r6 = await add.schedule({ args: [5, 6], delay: 0 });

    // @ts-expect-error a string is not a number
    void add.s('1', 2);
    // @ts-expect-error includeTask: the task argument is filled in by the consumer
    void withTask.s(1, s);
    // @ts-expect-error retriesAsArgument: retries are filled in by the consumer
    void withRetries.s(1, 2);
    // @ts-expect-error schedule args are checked too
    void add.schedule({ args: ['x', 1], delay: 1 });

    await huey.enqueue(s);
    await runQueued(huey);
    const v1: number | null = await r1.get();
    const v2: [number, number] | null = await r2.get();
    const v3: string | null = await r3.get();
    expect([v1, v2, v3, await r4.get(), await r5.get(), await r6.get()]).toEqual([3, [2, 1], 'hi bob', 'with_task:7', 11, 11]);
    await huey.close();
  });

  it('a huey without a result store types calls as resolving to null', async () => {
    const huey = new MemoryHuey('types-no-store', { resultStore: false, logger: silentLogger, readTimeout: 0.01 });
    const t = huey.task((x: number) => x, { name: 't' });
    const r: null = await t(1);
    expect(r).toBeNull();
    await huey.close();
  });
});

describe('createConsumer', () => {
  it('returns a Consumer for async workers and a PoolConsumer for thread and process workers', () => {
    const huey = new MemoryHuey('types-consumer', { logger: silentLogger });
    const inProcess: Consumer = huey.createConsumer({ workers: 2 });
    expect(inProcess).toBeInstanceOf(Consumer);
    // Typed by the overloads: a PoolConsumer has no in-process workers array.
    const typed = (h: typeof huey) => h.createConsumer({ workerType: 'thread' });
    const pool: (h: typeof huey) => PoolConsumer = typed;
    expect(pool).toBeTypeOf('function');
    // @ts-expect-error a thread consumer is not an in-process Consumer
    const wrong: (h: typeof huey) => Consumer = typed;
    void wrong;
  });
});
