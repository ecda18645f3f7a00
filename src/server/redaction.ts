// Credentials in a command line: which arguments MONITOR and SLOWLOG show
// as "(redacted)", as Redis's redactClientCommandArgument marks them.

/**
 * The arguments MONITOR and the slow log hide: the ones AUTH and HELLO had parsed as
 * credentials by the time they finished, exactly as Redis redacts them (an
 * AUTH with too many arguments, or a HELLO that failed before its AUTH
 * option, is shown as sent).
 */
export function redactedArguments(argv: string[]): number[] | null {
  const name = argv[0].toLowerCase();
  if (name === 'auth') return argv.length > 3 ? null : argv.length === 3 ? [1, 2] : [1];
  if (name !== 'hello' || argv.length < 4) return null;
  if (!/^[23]$/.test(argv[1])) return null;
  const out: number[] = [];
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = argv.length - 1 - j;
    if (opt === 'auth' && more >= 2) {
      out.push(j + 1, j + 2);
      j += 2;
    } else if (opt === 'setname' && more >= 1) j++;
    else break;
  }
  return out;
}
