// The thresholds that decide how Redis 7.0 encodes a value (the
// *-max-listpack-*, set-max-intset-entries and stream-node-max-* settings).
// A server owns one instance, changed in place by CONFIG SET, so a write
// always checks the current setting, as Redis does; values created outside
// a server (tests, tools) use the defaults.

export class EncodingLimits {
  hashMaxListpackEntries = 512;
  hashMaxListpackValue = 64;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  setMaxIntsetEntries = 512;
  /** Kept for CONFIG and MEMORY USAGE: a 7.0 list is a quicklist whatever its size. */
  listMaxListpackSize = -2;
  listCompressDepth = 0;
  streamNodeMaxBytes = 4096;
  streamNodeMaxEntries = 100;
}

/** The defaults, for values made without a server's settings at hand. Never changed. */
export const DEFAULT_ENCODING_LIMITS: Readonly<EncodingLimits> = Object.freeze(new EncodingLimits());
