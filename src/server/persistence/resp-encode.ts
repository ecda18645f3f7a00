// RESP encoding of one command (a multibulk of bulk strings), as the AOF and
// the AOF rewrite write it. Arguments are binary strings (one char per byte),
// so the result is too: write it with Buffer.from(s, 'latin1').

export function encodeCommand(argv: readonly string[]): string {
  let out = '*' + argv.length + '\r\n';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    out += '$' + a.length + '\r\n' + a + '\r\n';
  }
  return out;
}
