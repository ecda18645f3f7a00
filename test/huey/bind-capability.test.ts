// bindCapability/bindControls: a capability's part lends its methods to the
// storage, bound to the part; a part without a listed method is refused at once.
import { describe, expect, it } from 'vitest';
import { MemoryStorage, hasCapability } from '../../src/huey/index.js';
import { bindCapability, bindControls } from '../../src/huey/storage/bind-capability.js';
import { hasMonitoring } from '../../src/huey/storage/monitoring.js';

class Counter {
  private n = 0;
  async countStart(): Promise<number> {
    return ++this.n;
  }
}

describe('bindCapability', () => {
  it('puts the part\'s methods on the storage, bound to the part, so the capability checks find them', async () => {
    const storage = {};
    bindControls(storage, { rateLimit: new Counter() });
    const s = storage as { countStart(key: string, ttl: number): Promise<number> };
    const { countStart } = s;
    expect(await s.countStart('k', 1)).toBe(1);
    expect(await countStart('k', 1)).toBe(2);
    expect(Object.keys(storage)).toEqual([]);
  });

  it('refuses a part that lacks a listed method, naming it', () => {
    expect(() => bindCapability({}, new Counter() as unknown as Record<string, unknown>, ['countStart', 'claimUnique'])).toThrow(/Counter has no method claimUnique/);
  });

  it('every backend\'s bound capabilities can still be hidden per instance (as bench/huey.js does for Monitoring)', () => {
    const storage = new MemoryStorage('bind-hide');
    expect(hasMonitoring(storage)).toBe(true);
    expect(hasCapability(storage, 'unique')).toBe(true);
    Object.defineProperty(storage, 'putConsumer', { value: undefined });
    expect(hasMonitoring(storage)).toBe(false);
    expect(hasMonitoring(new MemoryStorage('bind-other'))).toBe(true);
  });
});
