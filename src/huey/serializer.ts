/**
 * The value serializer: turns task arguments and results into JSON and back
 * without losing the JavaScript types JSON cannot hold.
 *
 * Plain JSON values (null, booleans, finite numbers, strings, arrays, plain
 * objects) are written unchanged, so a producer in another language can send
 * ordinary JSON. Other values become a tagged object `{"$t": tag, "v": ...}`:
 *
 * | value                   | encoded as                                         |
 * |-------------------------|----------------------------------------------------|
 * | `undefined`             | `{"$t":"undefined"}`                               |
 * | NaN, ±Infinity, -0      | `{"$t":"number","v":"NaN"}` (also "Infinity", "-Infinity", "-0") |
 * | `bigint`                | `{"$t":"bigint","v":"12345678901234567890"}`       |
 * | `Date`                  | `{"$t":"date","v":"2024-01-01T00:00:00.000Z"}` (`null` if invalid) |
 * | `Buffer` / `Uint8Array` | `{"$t":"bytes","v":"<base64>"}` (decoded as a Buffer) |
 * | `Map`                   | `{"$t":"map","v":[[key, value], ...]}`             |
 * | `Set`                   | `{"$t":"set","v":[value, ...]}`                    |
 * | `RegExp`                | `{"$t":"regexp","v":["source","flags"]}`           |
 * | object with a `$t` key  | `{"$t":"object","v":{...}}` (escaping)             |
 *
 * Anything else (functions, symbols, class instances without `toJSON`,
 * circular references) throws a SerializationError naming the path of the
 * bad value, so a call fails before anything is enqueued. Extra types can be
 * added with `new TaggedSerializer({ types: [...] })`, or a different
 * serializer can be given to Huey with the `serializer` option.
 */
import { SerializationError } from './exceptions.js';

/** A value JSON.stringify writes and JSON.parse reads back unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Turns values into JSON-safe trees and back. Pluggable through Huey's `serializer` option. */
export interface ValueSerializer {
  /** Encodes a value; throws SerializationError when it cannot be carried. `path` names the value in errors. */
  encode(value: unknown, path?: string): JsonValue;
  /** Decodes what `encode` produced (or plain JSON from another producer). */
  decode(json: JsonValue, path?: string): unknown;
}

/** A user-defined tagged type for TaggedSerializer. */
export interface CustomType<T = unknown> {
  /** Tag written as `$t`; must not clash with the built-in tags. */
  tag: string;
  /** Whether this type handles the value. */
  test(value: unknown): value is T;
  /** Encodes the value; `encode` encodes nested values. */
  encode(value: T, encode: (inner: unknown) => JsonValue): JsonValue;
  /** Decodes `v`; `decode` decodes nested values. */
  decode(v: JsonValue, decode: (inner: JsonValue) => unknown): T;
}

const BUILTIN_TAGS = new Set(['undefined', 'number', 'bigint', 'date', 'bytes', 'map', 'set', 'regexp', 'object']);
const TAG = '$t';

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function tagged(tag: string, v?: JsonValue): JsonValue {
  return v === undefined ? { [TAG]: tag } : { [TAG]: tag, v };
}

/**
 * The default serializer (see the file comment for the encoding).
 * @example
 * const s = new TaggedSerializer();
 * s.decode(s.encode(new Date(0))) // Date(0)
 */
export class TaggedSerializer implements ValueSerializer {
  private readonly custom: CustomType[];
  private readonly customByTag: Map<string, CustomType>;

  constructor(options: { types?: CustomType[] } = {}) {
    this.custom = options.types ?? [];
    this.customByTag = new Map();
    for (const t of this.custom) {
      if (BUILTIN_TAGS.has(t.tag)) throw new Error(`custom serializer tag "${t.tag}" clashes with a built-in tag`);
      if (this.customByTag.has(t.tag)) throw new Error(`custom serializer tag "${t.tag}" is registered twice`);
      this.customByTag.set(t.tag, t);
    }
  }

  encode(value: unknown, path = ''): JsonValue {
    return this.enc(value, path, new Set());
  }

  decode(json: JsonValue, path = ''): unknown {
    return this.dec(json, path);
  }

  private enc(value: unknown, path: string, seen: Set<object>): JsonValue {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (Number.isFinite(value)) return Object.is(value, -0) ? tagged('number', '-0') : value;
        return tagged('number', String(value));
      case 'undefined':
        return tagged('undefined');
      case 'bigint':
        return tagged('bigint', value.toString());
      case 'function':
        throw new SerializationError('cannot serialize a function', path);
      case 'symbol':
        throw new SerializationError('cannot serialize a symbol', path);
    }
    if (value === null) return null;
    const obj = value as object;
    if (seen.has(obj)) throw new SerializationError('cannot serialize a circular reference', path);
    seen.add(obj);
    try {
      return this.encObject(obj, path, seen);
    } finally {
      seen.delete(obj);
    }
  }

  private encObject(obj: object, path: string, seen: Set<object>): JsonValue {
    for (const t of this.custom) {
      if (t.test(obj)) return tagged(t.tag, t.encode(obj, (inner) => this.enc(inner, `${path}<${t.tag}>`, seen)));
    }
    if (Array.isArray(obj)) {
      const out: JsonValue[] = new Array(obj.length);
      for (let i = 0; i < obj.length; i++) out[i] = this.enc(obj[i], `${path}[${i}]`, seen);
      return out;
    }
    if (obj instanceof Date) {
      const t = obj.getTime();
      return tagged('date', Number.isNaN(t) ? null : obj.toISOString());
    }
    if (obj instanceof Uint8Array) {
      return tagged('bytes', Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('base64'));
    }
    if (obj instanceof Map) {
      const entries: JsonValue[] = [];
      let i = 0;
      for (const [k, v] of obj) {
        entries.push([this.enc(k, `${path}<map key ${i}>`, seen), this.enc(v, `${path}<map value ${i}>`, seen)]);
        i++;
      }
      return tagged('map', entries);
    }
    if (obj instanceof Set) {
      const items: JsonValue[] = [];
      let i = 0;
      for (const v of obj) items.push(this.enc(v, `${path}<set item ${i++}>`, seen));
      return tagged('set', items);
    }
    if (obj instanceof RegExp) return tagged('regexp', [obj.source, obj.flags]);
    if (!isPlainObject(obj)) {
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.enc(toJSON.call(obj), path, seen);
      const ctor = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      throw new SerializationError(
        `cannot serialize an instance of ${ctor} (give it a toJSON method or register a custom type)`,
        path,
      );
    }
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(obj)) {
      out[key] = this.enc((obj as Record<string, unknown>)[key], path ? `${path}.${key}` : key, seen);
    }
    return Object.prototype.hasOwnProperty.call(out, TAG) ? tagged('object', out) : out;
  }

  private dec(json: JsonValue, path: string): unknown {
    if (json === null || typeof json !== 'object') return json;
    if (Array.isArray(json)) return json.map((item, i) => this.dec(item, `${path}[${i}]`));
    const tag = json[TAG];
    if (tag === undefined) return this.decFields(json, path);
    if (typeof tag !== 'string') throw new SerializationError('"$t" must be a string tag', path);
    const v = json.v;
    switch (tag) {
      case 'undefined':
        return undefined;
      case 'number':
        if (v === 'NaN') return NaN;
        if (v === 'Infinity') return Infinity;
        if (v === '-Infinity') return -Infinity;
        if (v === '-0') return -0;
        throw new SerializationError(`bad tagged number ${JSON.stringify(v)}`, path);
      case 'bigint':
        if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new SerializationError('bad tagged bigint', path);
        return BigInt(v);
      case 'date':
        if (v === null) return new Date(NaN);
        if (typeof v !== 'string' && typeof v !== 'number') throw new SerializationError('bad tagged date', path);
        return new Date(v);
      case 'bytes':
        if (typeof v !== 'string') throw new SerializationError('bad tagged bytes', path);
        return Buffer.from(v, 'base64');
      case 'map':
        if (!Array.isArray(v)) throw new SerializationError('bad tagged map', path);
        return new Map(
          v.map((entry, i) => {
            if (!Array.isArray(entry) || entry.length !== 2) throw new SerializationError('bad map entry', `${path}<map ${i}>`);
            return [this.dec(entry[0], `${path}<map key ${i}>`), this.dec(entry[1], `${path}<map value ${i}>`)];
          }),
        );
      case 'set':
        if (!Array.isArray(v)) throw new SerializationError('bad tagged set', path);
        return new Set(v.map((item, i) => this.dec(item, `${path}<set item ${i}>`)));
      case 'regexp':
        if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'string') {
          throw new SerializationError('bad tagged regexp', path);
        }
        return new RegExp(v[0], v[1]);
      case 'object':
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SerializationError('bad tagged object', path);
        return this.decFields(v, path);
    }
    const custom = this.customByTag.get(tag);
    if (!custom) throw new SerializationError(`unknown type tag "${tag}"`, path);
    return custom.decode(v ?? null, (inner) => this.dec(inner, `${path}<${tag}>`));
  }

  private decFields(json: { [key: string]: JsonValue }, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(json)) {
      const value = this.dec(json[key] as JsonValue, path ? `${path}.${key}` : key);
      // A "__proto__" key from JSON must stay data, not become the object's prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
}

/** The serializer Huey uses unless told otherwise. */
export const defaultSerializer: ValueSerializer = new TaggedSerializer();
