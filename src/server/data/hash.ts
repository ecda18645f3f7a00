// The hash value (Redis's OBJ_HASH): a Map from field to value, in
// insertion order, which is the order a listpack-encoded hash shows.
//
// Redis 7.0 keeps a hash as a listpack until it holds more than
// hash-max-listpack-entries fields or is given a field or value longer than
// hash-max-listpack-value bytes; then it becomes a hash table for good
// (deleting fields never converts it back). `listpack` follows that history
// with one flag and O(1) checks per write.

import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './encoding-limits.js';

export class HashValue extends Map<string, string> {
  /** False once Redis would have converted this hash to a hash table. */
  listpack = true;

  /** Redis's OBJECT ENCODING for this hash. */
  get encoding(): 'listpack' | 'hashtable' {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  /**
   * Before a write of field and value (hashTypeTryConversion): a string too
   * long for a listpack converts the hash, even when the field exists.
   */
  checkLengths(limits: Readonly<EncodingLimits>, field: string, value: string): void {
    if (this.listpack && (field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue)) this.listpack = false;
  }

  /** After a write: one field too many converts the hash. */
  checkSize(limits: Readonly<EncodingLimits>): void {
    if (this.listpack && this.size > limits.hashMaxListpackEntries) this.listpack = false;
  }

  /** The encoding a freshly built hash with these fields gets (a snapshot load). */
  recomputeEncoding(limits: Readonly<EncodingLimits> = DEFAULT_ENCODING_LIMITS): void {
    this.listpack = true;
    for (const [f, v] of this) this.checkLengths(limits, f, v);
    this.checkSize(limits);
  }

  /** A copy with the same encoding (COPY, as Redis's hashTypeDup). */
  clone(): HashValue {
    const copy = new HashValue(this);
    copy.listpack = this.listpack;
    return copy;
  }
}
