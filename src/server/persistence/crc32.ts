// CRC-32 (IEEE, as zlib and PNG use) for the snapshot checksum. Node has it
// built in from 20.15 (zlib.crc32); older Node 20 releases get the table form.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;

const builtin = (zlib as { crc32?: Crc32 }).crc32;

let table: Uint32Array | null = null;

function tableCrc32(data: Uint8Array, value = 0): number {
  if (table === null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** Running CRC-32: pass the previous result as `value` to continue over more data. */
export const crc32: Crc32 = builtin ?? tableCrc32;
