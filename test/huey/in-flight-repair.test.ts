// InFlightRepair on its own (MemoryStorage): after a failure, what no worker
// holds goes back on the queue; what a worker holds, or finished during the
// sweep, stays; a sweep that fails is wanted again.
import { describe, expect, it } from 'vitest';
import { InFlightRepair } from '../../src/huey/consumer/in-flight-repair.js';
import { MemoryStorage } from '../../src/huey/index.js';

async function storageWith(messages: string[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage('repair');
  for (const m of messages) await storage.enqueue(m);
  expect(await storage.takeMany('list', messages.length)).toHaveLength(messages.length);
  return storage;
}

describe('InFlightRepair', () => {
  it('puts back only the stranded messages, once asked', async () => {
    const storage = await storageWith(['a', 'b', 'c', 'd']);
    const repair = new InFlightRepair(storage, 'list', null);
    repair.handedOut('a');
    repair.handedOut('b');
    repair.handedOut('c');
    repair.finished('c'); // its ack failed: stranded like 'd', whose take reply was lost
    expect(repair.wanted).toBe(false);
    repair.failed();
    expect(repair.wanted).toBe(true);
    await repair.sweep(async () => {
      repair.finished('b'); // done while the sweep waits for acks: its ack may be on the way
    });
    expect(repair.wanted).toBe(false);
    expect((await storage.inFlightItems('list')).sort()).toEqual(['a', 'b']);
    expect((await storage.enqueuedItems()).sort()).toEqual(['c', 'd']);
  });

  it('a sweep that cannot reach the storage is wanted again', async () => {
    const storage = await storageWith(['x']);
    const broken = Object.assign(Object.create(storage) as MemoryStorage, {
      inFlightItems: () => Promise.reject(new Error('down')),
    });
    const repair = new InFlightRepair(broken, 'list', null);
    repair.failed();
    await repair.sweep(async () => {});
    expect(repair.wanted).toBe(true);
    expect(await storage.inFlightItems('list')).toEqual(['x']);
  });
});
