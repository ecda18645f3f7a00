// Error replies shared by many commands, with Redis 7's exact texts.
// Handlers throw CommandError; the dispatcher turns it into an error reply,
// so a handler can bail out from any depth without writing protocol itself.

/** An error reply. `message` is the full text after the '-', e.g. "ERR syntax error". */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const SYNTAX = 'ERR syntax error';
export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const NO_SUCH_KEY = 'ERR no such key';
export const OVERFLOW = 'ERR increment or decrement would overflow';
export const OUT_OF_RANGE = 'ERR index out of range';

export function wrongArity(name: string): string {
  return `ERR wrong number of arguments for '${name.toLowerCase()}' command`;
}

export const wrongTypeError = (): CommandError => new CommandError(WRONGTYPE);
export const syntaxError = (): CommandError => new CommandError(SYNTAX);
