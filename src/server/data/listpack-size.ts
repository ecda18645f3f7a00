// Listpack sizes (Redis's listpack.c): an element is its encoding plus a
// back-length, and a listpack adds a 6-byte header and a 1-byte end mark.
// Streams use them to close nodes where Redis does; MEMORY USAGE to
// estimate compact encodings.

const INT_TEXT_RE = /^(?:0|-?[1-9][0-9]*)$/;

/** A listpack's own bytes: the header (total size, element count) and the end mark. */
export const LISTPACK_OVERHEAD = 7;

/** Bytes of the back-length that follows an element whose encoding takes n bytes. */
function backlenBytes(n: number): number {
  return n <= 127 ? 1 : n < 16383 ? 2 : n < 2097151 ? 3 : n < 268435455 ? 4 : 5;
}

/** Bytes of an integer element (lpAppendInteger): encoding plus its one-byte back-length. */
export function intBytes(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Bytes of a string element (lpAppend): text that is a canonical int64 is stored as an integer. */
export function stringBytes(s: string): number {
  const len = s.length;
  if (len > 0 && len < 21 && INT_TEXT_RE.test(s) && s !== '-0') {
    if (len <= 15) return intBytes(Number(s));
    const n = BigInt(s);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return intBytes(n);
  }
  const enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return enc + backlenBytes(enc);
}
