// The snapshot file's layout, shared by its writer and reader. The format is
// ours (not Redis's RDB) and is documented in docs/snapshot-format.md: keep
// the two in step, and bump SNAPSHOT_VERSION for any incompatible change.

/** "SIMPLEDB" then "SNAP": identifies the file. */
export const MAGIC = Buffer.from('SIMPLEDBSNAP', 'latin1');
/**
 * The version this code writes; it reads versions 1..SNAPSHOT_VERSION.
 * 2 added STREAM_V2 (streams with their counters and consumer groups).
 */
export const SNAPSHOT_VERSION = 2;
/** Magic (12) + version (u16) + flags (u16) + creation time (i64). */
export const HEADER_SIZE = 12 + 2 + 2 + 8;

// Record opcodes.
export const OP_STRING = 0x00;
export const OP_LIST = 0x01;
export const OP_HASH = 0x02;
export const OP_ZSET = 0x03;
export const OP_SET = 0x04;
/** A stream as version 1 wrote it: entries and last ID only. Still read. */
export const OP_STREAM = 0x05;
/** A stream with entries-added, max-deleted-id and consumer groups (version 2). */
export const OP_STREAM_V2 = 0x06;
/** Precedes a key record: its absolute expiry time in ms (i64). */
export const OP_EXPIRE_MS = 0xfc;
/** Starts a database: its index and how many keys follow. */
export const OP_SELECT_DB = 0xfe;
/** Ends the data; a u32 CRC-32 of every byte before it (header included, this opcode included) follows. */
export const OP_EOF = 0xff;
