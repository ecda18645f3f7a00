// crontab(): the seed's examples, each syntax, UTC vs local time, every kind of bad input, and nextMatches().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crontab, CrontabError, nextMatches, type CrontabValidator } from '../../src/huey/crontab.js';

/** Runs the suite's dates in a fixed zone so that local time differs from UTC whatever the machine says. */
function inTimeZone(tz: string): void {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.TZ;
    process.env.TZ = tz;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi, s));
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s);

/** Every minute from `from` (inclusive) for `minutes` minutes on which the validator says yes. */
function bruteForce(v: CrontabValidator, from: Date, minutes: number, isUtc: boolean): number[] {
  const hits: number[] = [];
  for (let i = 0; i < minutes; i++) {
    const t = from.getTime() + i * 60_000;
    if (v(new Date(t), { utc: isUtc })) hits.push(t);
  }
  return hits;
}

describe('crontab: the seed examples (evaluated in UTC)', () => {
  it("crontab(minute='0', hour='3') fires at 03:00 only", () => {
    const v = crontab({ minute: '0', hour: '3' });
    expect(v(utc(2024, 5, 17, 3, 0), { utc: true })).toBe(true);
    expect(v(utc(2024, 5, 17, 3, 1), { utc: true })).toBe(false);
    expect(v(utc(2024, 5, 17, 4, 0), { utc: true })).toBe(false);
    expect(v(utc(2024, 5, 17, 15, 0), { utc: true })).toBe(false);
    expect(bruteForce(v, utc(2024, 5, 17), 24 * 60, true)).toEqual([utc(2024, 5, 17, 3, 0).getTime()]);
  });

  it("crontab(minute='*') fires every minute", () => {
    const v = crontab({ minute: '*' });
    expect(bruteForce(v, utc(2024, 2, 28, 23, 0), 180, true)).toHaveLength(180);
  });

  it("crontab(minute='*/5') fires every five minutes", () => {
    const v = crontab({ minute: '*/5' });
    expect(v.fields.minute).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(v(utc(2024, 1, 1, 10, 25), { utc: true })).toBe(true);
    expect(v(utc(2024, 1, 1, 10, 26), { utc: true })).toBe(false);
    expect(bruteForce(v, utc(2024, 1, 1), 60, true)).toHaveLength(12);
  });

  it("crontab(minute='0') fires on the hour", () => {
    const v = crontab({ minute: '0' });
    expect(bruteForce(v, utc(2024, 1, 1), 24 * 60, true)).toHaveLength(24);
    expect(v(utc(2024, 1, 1, 17, 0), { utc: true })).toBe(true);
    expect(v(utc(2024, 1, 1, 17, 30), { utc: true })).toBe(false);
  });

  it("crontab(minute='0', hour='4') (the Mini-Huey example)", () => {
    const v = crontab({ minute: '0', hour: '4' });
    expect(v(utc(2024, 7, 4, 4, 0), { utc: true })).toBe(true);
    expect(v(utc(2024, 7, 4, 3, 0), { utc: true })).toBe(false);
  });

  it("hour='*/4' is 0, 4, 8, 12, 16, 20", () => {
    expect(crontab({ hour: '*/4' }).fields.hour).toEqual([0, 4, 8, 12, 16, 20]);
  });

  it("'m-n' is every value from m to n, 'm,n' is m and n", () => {
    expect(crontab({ hour: '9-17' }).fields.hour).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(crontab({ minute: '0,30' }).fields.minute).toEqual([0, 30]);
  });

  it('day of week uses 0 = Sunday and 6 = Saturday', () => {
    // 2024-01-07 was a Sunday, 2024-01-06 a Saturday.
    const sunday = crontab({ dayOfWeek: '0' });
    const saturday = crontab({ dayOfWeek: '6' });
    expect(sunday(utc(2024, 1, 7, 12), { utc: true })).toBe(true);
    expect(sunday(utc(2024, 1, 6, 12), { utc: true })).toBe(false);
    expect(saturday(utc(2024, 1, 6, 12), { utc: true })).toBe(true);
    expect(saturday(utc(2024, 1, 7, 12), { utc: true })).toBe(false);
  });
});

describe('crontab: syntax', () => {
  it('no fields matches every minute', () => {
    const v = crontab();
    expect(v.fields.minute).toHaveLength(60);
    expect(v.fields.hour).toHaveLength(24);
    expect(v.fields.day).toHaveLength(31);
    expect(v.fields.month).toHaveLength(12);
    expect(v.fields.dayOfWeek).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(v(utc(2031, 12, 31, 23, 59), { utc: true })).toBe(true);
    expect(v.toString()).toBe('* * * * *');
  });

  it('mixes ranges, steps and numbers in one list, without duplicates', () => {
    expect(crontab({ minute: '1-5,10' }).fields.minute).toEqual([1, 2, 3, 4, 5, 10]);
    expect(crontab({ minute: '*/20,5,0-2' }).fields.minute).toEqual([0, 1, 2, 5, 20, 40]);
    expect(crontab({ hour: '3,3,3' }).fields.hour).toEqual([3]);
  });

  it('steps start at the lowest value of the field', () => {
    expect(crontab({ month: '*/3' }).fields.month).toEqual([1, 4, 7, 10]);
    expect(crontab({ day: '*/10' }).fields.day).toEqual([1, 11, 21, 31]);
    expect(crontab({ minute: '*/1' }).fields.minute).toHaveLength(60);
    // A step longer than the field leaves only the first value, as Huey does.
    expect(crontab({ minute: '*/90' }).fields.minute).toEqual([0]);
  });

  it('accepts numbers as well as strings, and leading zeros', () => {
    const v = crontab({ minute: 0, hour: 3, day: 1, month: 12, dayOfWeek: 0 });
    expect(v.fields).toMatchObject({ minute: [0], hour: [3], day: [1], month: [12], dayOfWeek: [0] });
    expect(crontab({ minute: '05' }).fields.minute).toEqual([5]);
  });

  it('takes 7 as Sunday, also at the end of a range', () => {
    expect(crontab({ dayOfWeek: '7' }).fields.dayOfWeek).toEqual([0]);
    expect(crontab({ dayOfWeek: 7 }).fields.dayOfWeek).toEqual([0]);
    expect(crontab({ dayOfWeek: '5-7' }).fields.dayOfWeek).toEqual([0, 5, 6]);
    expect(crontab({ dayOfWeek: '0-7' }).fields.dayOfWeek).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(crontab({ dayOfWeek: '1-5' }).fields.dayOfWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it('requires day and dayOfWeek to match together (Huey ANDs them, Unix cron ORs)', () => {
    const friday13 = crontab({ day: '13', dayOfWeek: '5', hour: '0', minute: '0' });
    expect(friday13(utc(2024, 9, 13), { utc: true })).toBe(true); // a Friday
    expect(friday13(utc(2024, 1, 13), { utc: true })).toBe(false); // a Saturday
    expect(friday13(utc(2024, 9, 20), { utc: true })).toBe(false); // a Friday, not the 13th
  });

  it('matches months and days of month', () => {
    const v = crontab({ month: '2', day: '29', hour: '12', minute: '0' });
    expect(v(utc(2024, 2, 29, 12, 0), { utc: true })).toBe(true);
    expect(v(utc(2024, 3, 29, 12, 0), { utc: true })).toBe(false);
    expect(v(utc(2024, 2, 28, 12, 0), { utc: true })).toBe(false);
  });

  it('ignores seconds and milliseconds: the validator matches the whole minute', () => {
    const v = crontab({ minute: '30', hour: '6' });
    expect(v(utc(2024, 1, 1, 6, 30, 0), { utc: true })).toBe(true);
    expect(v(new Date(Date.UTC(2024, 0, 1, 6, 30, 59, 999)), { utc: true })).toBe(true);
    expect(v(utc(2024, 1, 1, 6, 31, 0), { utc: true })).toBe(false);
  });

  it('stepped ranges m-n/s (beyond Huey: it read them as plain m-n)', () => {
    expect(crontab({ minute: '0-30/10' }).fields.minute).toEqual([0, 10, 20, 30]);
    expect(crontab({ hour: '9-17/4' }).fields.hour).toEqual([9, 13, 17]);
    expect(crontab({ dayOfWeek: '1-7/2' }).fields.dayOfWeek).toEqual([0, 1, 3, 5]);
  });

  it('*/n on dayOfWeek counts from Sunday', () => {
    expect(crontab({ dayOfWeek: '*/2' }).fields.dayOfWeek).toEqual([0, 2, 4, 6]);
  });

  it('tolerates spaces around list items', () => {
    expect(crontab({ minute: ' 1 , 2 ,3-4 ' }).fields.minute).toEqual([1, 2, 3, 4]);
  });

  it('exposes the spec and a cron line, and freezes what it exposes', () => {
    const v = crontab({ minute: '0', hour: '3' });
    expect(v.toString()).toBe('0 3 * * *');
    expect(String(crontab({ minute: '*/5', dayOfWeek: 1 }))).toBe('*/5 * * * 1');
    expect(v.spec).toEqual({ minute: '0', hour: '3', day: '*', month: '*', dayOfWeek: '*' });
    expect(Object.isFrozen(v.fields)).toBe(true);
    expect(Object.isFrozen(v.fields.minute)).toBe(true);
  });

  it('rejects an invalid Date', () => {
    expect(() => crontab()(new Date(Number.NaN))).toThrow(TypeError);
  });
});

describe('crontab: bad input', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['minute above 59', { minute: '60' }, /invalid minute '60'.*out of range \(0-59\)/],
    ['hour above 23', { hour: '24' }, /invalid hour '24'.*out of range \(0-23\)/],
    ['day 0', { day: '0' }, /invalid day '0'.*out of range \(1-31\)/],
    ['day 32', { day: '32' }, /invalid day '32'/],
    ['month 0', { month: '0' }, /invalid month '0'.*out of range \(1-12\)/],
    ['month 13', { month: 13 }, /invalid month 13/],
    ['dayOfWeek 8', { dayOfWeek: '8' }, /invalid dayOfWeek '8'.*out of range \(0-7\)/],
    ['out of range inside a list', { minute: '5,75' }, /invalid minute '5,75'.*75 is out of range/],
    ['out of range at the end of a range', { hour: '20-25' }, /invalid hour '20-25'.*25 is out of range/],
    ['garbage', { minute: 'x' }, /invalid minute 'x'.*'x' is not valid syntax/],
    ['garbage after a valid range', { minute: '1-5x' }, /invalid minute '1-5x'/],
    ['garbage after a valid step', { hour: '*/5x' }, /invalid hour '\*\/5x'/],
    ['a step of zero', { minute: '*/0' }, /invalid minute '\*\/0'.*step must be at least 1/],
    ['a step of zero in a range', { minute: '1-10/0' }, /step must be at least 1/],
    ['a missing step', { minute: '*/' }, /invalid minute '\*\/'/],
    ['a non-numeric step', { minute: '*/x' }, /invalid minute '\*\/x'/],
    ['a half-open range', { minute: '1-' }, /invalid minute '1-'/],
    ['a backwards range', { hour: '5-2' }, /invalid hour '5-2'.*runs backwards/],
    ['a backwards dayOfWeek range', { dayOfWeek: '5-1' }, /invalid dayOfWeek '5-1'.*runs backwards/],
    ['a negative number', { minute: -1 }, /invalid minute -1/],
    ['a negative string', { minute: '-1' }, /invalid minute '-1'/],
    ['a fraction', { hour: 1.5 }, /invalid hour 1.5.*whole number/],
    ['an empty field', { minute: '' }, /invalid minute '': the field is empty/],
    ['an empty list item', { minute: '1,,2' }, /invalid minute '1,,2'.*empty list item/],
    ['a trailing comma', { minute: '1,' }, /empty list item/],
    ['null', { minute: null }, /invalid minute null.*string or a number/],
    ['an array', { hour: [1, 2] }, /invalid hour \[1,2\].*string or a number/],
    ['a boolean', { day: true }, /invalid day true/],
    ['a cron line in one field', { minute: '0 3 * * *' }, /invalid minute '0 3 \* \* \*'/],
    ['an unknown field', { minutes: '5' }, /invalid minutes '5': unknown field/],
    ['the Python spelling', { day_of_week: '1' }, /invalid day_of_week '1': unknown field/],
  ];

  for (const [what, spec, message] of bad) {
    it(`rejects ${what}`, () => {
      let caught: unknown;
      try {
        crontab(spec);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CrontabError);
      expect(caught).toBeInstanceOf(Error);
      expect((caught as Error).message).toMatch(message);
      const field = Object.keys(spec)[0]!;
      expect((caught as CrontabError).field).toBe(field);
      expect((caught as CrontabError).value).toBe(spec[field]);
    });
  }

  it('rejects a spec that is not an object', () => {
    expect(() => crontab('0 3 * * *' as never)).toThrow(/expected an object of fields/);
    expect(() => crontab(null as never)).toThrow(TypeError);
  });
});

describe('crontab: strict mode accepts only Huey 1.10 syntax', () => {
  it('still accepts everything the seed documents', () => {
    const v = crontab({ minute: '*/5,1-2', hour: '0,12', day: '1-7', month: '*', dayOfWeek: '7' }, { strict: true });
    expect(v.fields.minute).toEqual([0, 1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(v.fields.dayOfWeek).toEqual([0]);
    expect(crontab({ minute: 0, hour: 3 }, { strict: true }).toString()).toBe('0 3 * * *');
  });

  it('rejects stepped ranges, spaces and */n on dayOfWeek', () => {
    expect(() => crontab({ minute: '0-30/10' }, { strict: true })).toThrow(/invalid minute '0-30\/10'/);
    expect(() => crontab({ minute: '1, 2' }, { strict: true })).toThrow(/invalid minute '1, 2'/);
    expect(() => crontab({ dayOfWeek: '*/2' }, { strict: true })).toThrow(/invalid dayOfWeek '\*\/2'.*dayOfWeek/);
  });

  it('rejects a day that never occurs in the chosen months', () => {
    expect(() => crontab({ day: '31', month: '2' }, { strict: true })).toThrow(CrontabError);
    expect(() => crontab({ day: '31', month: '2,4,6' }, { strict: true }))
      .toThrow(/invalid day '31': never occurs in month '2,4,6'/);
    expect(() => crontab({ day: '30-31', month: '2' }, { strict: true })).toThrow(/never occurs/);
    // February 29 does occur (in leap years), and one good month is enough.
    expect(() => crontab({ day: '29', month: '2' }, { strict: true })).not.toThrow();
    expect(() => crontab({ day: '31', month: '2,3' }, { strict: true })).not.toThrow();
    expect(() => crontab({ day: '30-31', month: '2,4' }, { strict: true })).not.toThrow();
    // Outside strict mode, as in Huey, such a crontab is allowed (and never fires).
    expect(nextMatches(crontab({ day: '31', month: '2' }), utc(2024, 1, 1), 1, { utc: true })).toEqual([]);
  });

  it('rejects the same bad input as the default mode', () => {
    expect(() => crontab({ minute: 'x' }, { strict: true })).toThrow(/invalid minute 'x'/);
    expect(() => crontab({ hour: '*/0' }, { strict: true })).toThrow(/step must be at least 1/);
    expect(() => crontab({ month: '13' }, { strict: true })).toThrow(/out of range/);
  });
});

describe('crontab: UTC vs local time (TZ=Asia/Kolkata, UTC+5:30)', () => {
  inTimeZone('Asia/Kolkata');

  it('reads local time by default and UTC when asked', () => {
    const instant = utc(2024, 1, 1, 3, 0); // 08:30 in Kolkata
    const threeUtc = crontab({ hour: '3', minute: '0' });
    const halfPastEightLocal = crontab({ hour: '8', minute: '30' });
    expect(threeUtc(instant, { utc: true })).toBe(true);
    expect(threeUtc(instant)).toBe(false);
    expect(threeUtc(instant, { utc: false })).toBe(false);
    expect(halfPastEightLocal(instant)).toBe(true);
    expect(halfPastEightLocal(instant, { utc: true })).toBe(false);
    expect(halfPastEightLocal(local(2024, 1, 1, 8, 30))).toBe(true);
  });

  it('uses the zone for the day, the weekday and the month too', () => {
    // Saturday 2024-08-31 20:00 UTC is Sunday 2024-09-01 01:30 in Kolkata.
    const instant = utc(2024, 8, 31, 20, 0);
    expect(crontab({ dayOfWeek: '0' })(instant)).toBe(true);
    expect(crontab({ dayOfWeek: '0' })(instant, { utc: true })).toBe(false);
    expect(crontab({ day: '1', month: '9' })(instant)).toBe(true);
    expect(crontab({ day: '31', month: '8' })(instant, { utc: true })).toBe(true);
  });
});

describe('nextMatches', () => {
  it('lists the next runs after a moment, exclusive of it', () => {
    const v = crontab({ minute: '0', hour: '3' });
    expect(nextMatches(v, utc(2024, 1, 1), 3, { utc: true })).toEqual([
      utc(2024, 1, 1, 3), utc(2024, 1, 2, 3), utc(2024, 1, 3, 3),
    ]);
    expect(nextMatches(v, utc(2024, 1, 1, 3, 0), 1, { utc: true })).toEqual([utc(2024, 1, 2, 3)]);
    expect(nextMatches(v, utc(2024, 1, 1, 2, 59, 59), 1, { utc: true })).toEqual([utc(2024, 1, 1, 3)]);
  });

  it('crosses hours, days, months and years', () => {
    expect(nextMatches(crontab({ minute: '*/15' }), utc(2024, 1, 1, 10, 7, 30), 4, { utc: true }))
      .toEqual([utc(2024, 1, 1, 10, 15), utc(2024, 1, 1, 10, 30), utc(2024, 1, 1, 10, 45), utc(2024, 1, 1, 11, 0)]);
    expect(nextMatches(crontab({ minute: '0', hour: '0', day: '1', month: '1' }), utc(2024, 6, 1), 2, { utc: true }))
      .toEqual([utc(2025, 1, 1), utc(2026, 1, 1)]);
    expect(nextMatches(crontab({ minute: '0', hour: '0', day: '13', dayOfWeek: '5' }), utc(2024, 1, 1), 3, { utc: true }))
      .toEqual([utc(2024, 9, 13), utc(2024, 12, 13), utc(2025, 6, 13)]);
    expect(nextMatches(crontab({ minute: '0', hour: '12', day: '29', month: '2' }), utc(2024, 3, 1), 1, { utc: true }))
      .toEqual([utc(2028, 2, 29, 12)]);
  });

  it('agrees with checking every minute', () => {
    const specs = [
      crontab({ minute: '*/7', hour: '1-3,22' }),
      crontab({ minute: '0,30', hour: '*/5', dayOfWeek: '1-5' }),
      crontab({ minute: '59', day: '1,2' }),
    ];
    const from = utc(2024, 1, 31, 20, 0);
    const minutes = 3 * 24 * 60;
    for (const v of specs) {
      const expected = bruteForce(v, new Date(from.getTime() + 60_000), minutes, true);
      const got = nextMatches(v, from, expected.length, { utc: true }).map((d) => d.getTime());
      expect(got).toEqual(expected);
      expect(got.length).toBeGreaterThan(0);
    }
  });

  it('returns fewer when nothing more matches within the horizon, and nothing for count 0', () => {
    expect(nextMatches(crontab({ day: '30', month: '2' }), utc(2024, 1, 1), 5, { utc: true, horizonYears: 5 })).toEqual([]);
    expect(nextMatches(crontab(), utc(2024, 1, 1), 0)).toEqual([]);
    expect(() => nextMatches(crontab(), utc(2024, 1, 1), -1)).toThrow(RangeError);
  });

  describe('in local time across DST changes (TZ=America/New_York)', () => {
    inTimeZone('America/New_York');

    it('skips a wall-clock minute that does not exist and repeats one that happens twice', () => {
      // 2024-03-10 02:00-03:00 does not exist in New York; 2024-11-03 01:00-02:00 happens twice.
      const halfPastTwo = crontab({ minute: '30', hour: '2' });
      expect(nextMatches(halfPastTwo, local(2024, 3, 9, 12), 2)).toEqual([local(2024, 3, 11, 2, 30), local(2024, 3, 12, 2, 30)]);
      const halfPastOne = crontab({ minute: '30', hour: '1' });
      const fallBack = nextMatches(halfPastOne, local(2024, 11, 3, 0, 0), 3);
      expect(fallBack.map((d) => d.toISOString())).toEqual([
        '2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z', '2024-11-04T06:30:00.000Z',
      ]);
    });

    it('agrees with checking every minute in local time', () => {
      const v = crontab({ minute: '*/20', hour: '0-3' });
      const from = local(2024, 11, 2, 23, 0);
      const expected = bruteForce(v, new Date(from.getTime() + 60_000), 2 * 24 * 60, false);
      expect(nextMatches(v, from, expected.length).map((d) => d.getTime())).toEqual(expected);
    });
  });
});
