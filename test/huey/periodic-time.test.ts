// A periodic validator ported from Python reads the minute's fields; it gets
// them in the consumer's mode (UTC by default, local time with utc: false)
// as its second argument, whatever the process's time zone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/huey/consumer/scheduler.js';
import { MemoryHuey, type PeriodicTime } from '../../src/huey/index.js';

// A zone that is never UTC, so local and UTC fields differ (Node re-reads TZ when it is assigned).
const ZONE = 'Asia/Kolkata'; // UTC+05:30, no daylight saving
let savedTz: string | undefined;
beforeEach(() => {
  savedTz = process.env.TZ;
  process.env.TZ = ZONE;
});
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

function setup() {
  const huey = new MemoryHuey('periodic-time');
  const seen: PeriodicTime[] = [];
  // Python: def at_three(dt): return dt.hour == 3 and dt.minute == 0
  huey.periodicTask(
    (_date, time) => {
      seen.push(time);
      return time.hour === 3 && time.minute === 0;
    },
    () => 'ran',
    { name: 'at_three' },
  );
  return { huey, seen };
}

describe('periodic validators get the minute in the consumer mode', () => {
  it('UTC (the default): 03:00Z is due, whatever the local zone', async () => {
    const { huey, seen } = setup();
    await new Scheduler(huey).loop(Date.parse('2024-03-05T03:00:10Z'));
    expect(await huey.pendingCount()).toBe(1);
    expect(seen[0]).toEqual({ utc: true, year: 2024, month: 3, day: 5, hour: 3, minute: 0, dayOfWeek: 2 });
  });

  it('local time (utc: false, -o): the fields are the local ones', async () => {
    const { huey, seen } = setup();
    await new Scheduler(huey, { utc: false }).loop(Date.parse('2024-03-04T21:30:00Z')); // 03:00 in Kolkata
    expect(await huey.pendingCount()).toBe(1);
    expect(seen[0]).toEqual({ utc: false, year: 2024, month: 3, day: 5, hour: 3, minute: 0, dayOfWeek: 2 });
  });
});
