/**
 * crontab(): turns cron-style fields into a validator that tells whether a
 * moment falls on the schedule, as Huey's `crontab()` does for periodic tasks.
 * The consumer (and MiniHuey) calls the validator once a minute and runs the
 * task when it says yes; `nextMatches()` lists upcoming times for banners/logs.
 *
 * Syntax per field (the seed's): `*`, `*\/n`, `m-n`, `m,n` and lists mixing
 * them (`1-5,10`). Beyond Huey's syntax, the default (non-strict) mode also
 * accepts a stepped range `m-n/s`, spaces around list items, and `*\/n` on
 * dayOfWeek. Anything else, and any number outside the field's range, throws
 * a CrontabError naming the field and the value (Huey 1.10 silently ignored
 * such pieces; a schedule that quietly never fires is worse than an error).
 */

/** The five fields, in the order a cron line writes them (minute first). */
export type CrontabField = 'minute' | 'hour' | 'day' | 'month' | 'dayOfWeek';

/** What `crontab()` takes: each field a cron expression or a plain number; missing fields are `'*'`. */
export interface CrontabSpec {
  /** 1-12. */
  month?: string | number;
  /** Day of the month, 1-31. */
  day?: string | number;
  /** 0-6 with 0 = Sunday; 7 is also Sunday. */
  dayOfWeek?: string | number;
  /** 0-23. */
  hour?: string | number;
  /** 0-59. */
  minute?: string | number;
}

/** Options of `crontab()` itself. */
export interface CrontabOptions {
  /**
   * Accept only what Huey 1.10's crontab understands (`*`, `*\/n`, `m-n`,
   * numbers, comma lists; no spaces, no `m-n/s`, no `*\/n` on dayOfWeek),
   * and reject a day/month combination that can never occur (`day: 31, month: 2`).
   */
  strict?: boolean;
}

/** Options of one check. */
export interface CrontabCheckOptions {
  /** Read the date's fields in UTC instead of the process's local time zone. Default false (local), as Huey. */
  utc?: boolean;
}

/**
 * A crontab validator: call it with a Date to learn whether that minute is on
 * the schedule (seconds are ignored). It also carries the parsed fields.
 */
export interface CrontabValidator {
  (date: Date, options?: CrontabCheckOptions): boolean;
  /** The fields as given, normalised to strings (missing ones are `'*'`). */
  readonly spec: Readonly<Record<CrontabField, string>>;
  /** The values each field matches, ascending (dayOfWeek 0-6, 0 = Sunday). */
  readonly fields: Readonly<Record<CrontabField, readonly number[]>>;
  /** The schedule as a cron line: `minute hour day month dayOfWeek`, e.g. `0 3 * * *`. */
  toString(): string;
}

/** A crontab field that could not be parsed. */
export class CrontabError extends Error {
  override name = 'CrontabError';
  /** The field at fault (`minute`, `hour`, ...), or the unknown key that was passed. */
  readonly field: string;
  /** The value as given. */
  readonly value: unknown;
  constructor(field: string, value: unknown, reason: string) {
    super(`crontab: invalid ${field} ${describe(value)}: ${reason}`);
    this.field = field;
    this.value = value;
  }
}

interface FieldRange {
  min: number;
  max: number;
}

// dayOfWeek accepts 7 as a second Sunday (as Huey and Unix cron do); values fold to 0-6 after parsing.
const RANGES: Record<CrontabField, FieldRange> = {
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  day: { min: 1, max: 31 },
  month: { min: 1, max: 12 },
  dayOfWeek: { min: 0, max: 7 },
};

const FIELD_ORDER: readonly CrontabField[] = ['minute', 'hour', 'day', 'month', 'dayOfWeek'];

const NUMBER = /^\d+$/;
const EVERY = /^\*\/(\d+)$/;
const RANGE = /^(\d+)-(\d+)$/;
const STEPPED_RANGE = /^(\d+)-(\d+)\/(\d+)$/;

// Longest each month can be (February counts its leap day), for strict mode's "can this ever fire" check.
const MONTH_LENGTHS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Builds a validator from cron-style fields. Day of week uses 0 = Sunday (7 is
 * Sunday too). Like Huey, day and dayOfWeek must both match (Unix cron ORs them).
 *
 * @example
 * const nightly = crontab({ minute: '0', hour: '3' });
 * nightly(new Date(2024, 0, 1, 3, 0));        // true (local time)
 * nightly(new Date(2024, 0, 1, 3, 1));        // false
 * crontab({ minute: '*\/5' })(someDate, { utc: true });
 * crontab({ dayOfWeek: '1-5', hour: '9-17', minute: '0,30' });
 * crontab({ minute: '60' });                  // throws CrontabError: invalid minute '60' ...
 */
export function crontab(spec: CrontabSpec = {}, { strict = false }: CrontabOptions = {}): CrontabValidator {
  if (spec === null || typeof spec !== 'object') {
    throw new TypeError(`crontab: expected an object of fields, got ${describe(spec)}`);
  }
  for (const key of Object.keys(spec)) {
    if (!(FIELD_ORDER as readonly string[]).includes(key)) {
      throw new CrontabError(key, (spec as Record<string, unknown>)[key],
        `unknown field (expected month, day, dayOfWeek, hour or minute)`);
    }
  }

  const given: Record<CrontabField, string> = { minute: '*', hour: '*', day: '*', month: '*', dayOfWeek: '*' };
  const sets = {} as Record<CrontabField, Set<number>>;
  for (const field of FIELD_ORDER) {
    const raw: unknown = spec[field];
    given[field] = normalise(field, raw);
    sets[field] = parseField(field, given[field], raw, strict);
  }

  if (strict) checkReachable(given, sets);

  const fields = Object.freeze(Object.fromEntries(
    FIELD_ORDER.map((f) => [f, Object.freeze([...sets[f]].sort((a, b) => a - b))]),
  ) as Record<CrontabField, readonly number[]>);
  const line = FIELD_ORDER.map((f) => given[f].replace(/\s+/g, '')).join(' ');

  const validate = (date: Date, options: CrontabCheckOptions = {}): boolean => {
    const parts = dateParts(date, options.utc ?? false);
    return FIELD_ORDER.every((f) => sets[f].has(parts[f]));
  };
  return Object.assign(validate, {
    spec: Object.freeze({ ...given }),
    fields,
    toString: () => line,
  });
}

/**
 * Lists the next `count` minutes after `from` (exclusive) on which the
 * validator matches, as Dates at second 0. Stops early, returning fewer, when
 * nothing matches within `horizonYears` (a crontab like `day: 31, month: 2` never does).
 * It walks real time as the once-a-minute check does, so in local time a
 * wall-clock minute that a DST change repeats is listed twice, and one it skips never.
 *
 * @example
 * nextMatches(crontab({ minute: '0', hour: '3' }), new Date(), 3, { utc: true });
 * // three Dates, each 03:00 UTC on consecutive days
 */
export function nextMatches(
  validator: CrontabValidator,
  from: Date,
  count: number,
  { utc = false, horizonYears = 30 }: CrontabCheckOptions & { horizonYears?: number } = {},
): Date[] {
  assertValidDate(from);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`nextMatches: count must be a whole number >= 0, got ${count}`);
  const sets = {} as Record<CrontabField, ReadonlySet<number>>;
  for (const f of FIELD_ORDER) sets[f] = new Set(validator.fields[f]);

  const out: Date[] = [];
  const limit = from.getTime() + horizonYears * 366 * 24 * 3600_000;
  // Start at the first whole minute after `from`; then skip by the coarsest field that fails.
  let t = Math.floor(from.getTime() / 60_000) * 60_000 + 60_000;
  while (out.length < count && t <= limit) {
    const d = new Date(t);
    const p = dateParts(d, utc);
    if (!sets.month.has(p.month)) {
      t = utc ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    } else if (!sets.day.has(p.day) || !sets.dayOfWeek.has(p.dayOfWeek)) {
      t = utc ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) : new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
    } else if (!sets.hour.has(p.hour)) {
      // Step to the next wall-clock hour by minutes, which also works for zones with half-hour offsets.
      t += (60 - p.minute) * 60_000;
    } else {
      if (sets.minute.has(p.minute)) out.push(d);
      t += 60_000;
    }
  }
  return out;
}

/**
 * The minute a periodic validator is asked about, read in the consumer's mode
 * (UTC under `-u`, the default; local time under `-o`): what Huey's
 * validators get by reading `datetime` fields, whose values Huey already
 * converts to the consumer's mode. Passed as a validator's second argument.
 */
export interface PeriodicTime extends Record<CrontabField, number> {
  /** Whether the fields are UTC. */
  utc: boolean;
  year: number;
}

/**
 * The fields of `date` in UTC or local time.
 * @example periodicTime(new Date('2024-01-01T03:00:00Z'), true).hour; // 3
 */
export function periodicTime(date: Date, utc: boolean): PeriodicTime {
  return { utc, year: utc ? date.getUTCFullYear() : date.getFullYear(), ...dateParts(date, utc) };
}

function dateParts(date: Date, utc: boolean): Record<CrontabField, number> {
  assertValidDate(date);
  return utc
    ? { minute: date.getUTCMinutes(), hour: date.getUTCHours(), day: date.getUTCDate(), month: date.getUTCMonth() + 1, dayOfWeek: date.getUTCDay() }
    : { minute: date.getMinutes(), hour: date.getHours(), day: date.getDate(), month: date.getMonth() + 1, dayOfWeek: date.getDay() };
}

function assertValidDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new TypeError(`crontab: expected a valid Date, got ${describe(date)}`);
  }
}

function normalise(field: CrontabField, raw: unknown): string {
  if (raw === undefined) return '*';
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) throw new CrontabError(field, raw, 'a number must be a whole number');
    return String(raw);
  }
  if (typeof raw === 'string') return raw;
  throw new CrontabError(field, raw, 'expected a string or a number');
}

function parseField(field: CrontabField, text: string, raw: unknown, strict: boolean): Set<number> {
  const { min, max } = RANGES[field];
  const fail = (reason: string): never => {
    throw new CrontabError(field, raw, reason);
  };
  const expected = `expected *, */n, m-n${strict ? '' : ', m-n/s'} or a number in ${min}-${max}, or a comma-separated list of these`;
  const inRange = (s: string): number => {
    const n = Number(s);
    if (n < min || n > max) fail(`${s} is out of range (${min}-${max})`);
    return n;
  };
  const stepOf = (s: string): number => {
    const n = Number(s);
    if (n < 1) fail('the step must be at least 1');
    return n;
  };

  const values = new Set<number>();
  const add = (from: number, to: number, step: number): void => {
    for (let v = from; v <= to; v += step) values.add(field === 'dayOfWeek' ? v % 7 : v);
  };

  for (const item of text.split(',')) {
    const piece = strict ? item : item.trim();
    if (piece === '') fail(text.trim() === '' ? 'the field is empty' : `empty list item (${expected})`);
    let m: RegExpExecArray | null;
    if (piece === '*') {
      add(min, field === 'dayOfWeek' ? 6 : max, 1);
    } else if (NUMBER.test(piece)) {
      const n = inRange(piece);
      add(n, n, 1);
    } else if ((m = EVERY.exec(piece))) {
      if (strict && field === 'dayOfWeek') fail('*/n is not supported on dayOfWeek in strict mode (as in Huey)');
      add(min, field === 'dayOfWeek' ? 6 : max, stepOf(m[1]!));
    } else if ((m = RANGE.exec(piece))) {
      const lo = inRange(m[1]!);
      const hi = inRange(m[2]!);
      if (lo > hi) fail(`the range ${piece} runs backwards (write it as two ranges, e.g. ${lo}-${max},${min}-${hi})`);
      add(lo, hi, 1);
    } else if (!strict && (m = STEPPED_RANGE.exec(piece))) {
      const lo = inRange(m[1]!);
      const hi = inRange(m[2]!);
      if (lo > hi) fail(`the range ${lo}-${hi} runs backwards`);
      add(lo, hi, stepOf(m[3]!));
    } else {
      fail(`'${piece}' is not valid syntax (${expected})`);
    }
  }
  return values;
}

function checkReachable(given: Record<CrontabField, string>, sets: Record<CrontabField, Set<number>>): void {
  for (const month of sets.month) {
    for (const day of sets.day) {
      if (day <= MONTH_LENGTHS[month - 1]!) return;
    }
  }
  throw new CrontabError('day', given.day, `never occurs in month '${given.month}', so the schedule would never fire`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
