// MULTI/EXEC as one batch: the commands to queue and how their replies combine
// into one result (or one TransactionAbortedError).
import { checkedSize } from '../resp/command-writer.js';
import type { CommandArgument } from '../resp/encoder.js';
import { commandInfo } from './command-info.js';
import { ReplyError, TransactionAbortedError, UnsupportedCommandError } from './errors.js';
import { PendingCommand } from './pending-command.js';

const noop = (): void => {};

/**
 * Builds MULTI, the queued commands and EXEC as pending commands. Only EXEC
 * settles the caller's promise: with the array of replies (a failed command's
 * entry is its ReplyError), or with TransactionAbortedError when EXEC returns
 * nil (WATCH) or EXECABORT. Throws TypeError for malformed commands before
 * anything is built. The caller encodes them (a batch must stay contiguous).
 */
export function buildTransaction(
  commands: readonly (readonly CommandArgument[])[],
  buffers: boolean,
  resolve: (value: unknown) => void,
  reject: (error: Error) => void,
): PendingCommand[] {
  if (!Array.isArray(commands)) throw new TypeError('multi() takes an array of commands, each an array of arguments');
  const names: string[] = [];
  const split = commands.map((command, i) => {
    if (!Array.isArray(command) || command.length === 0 || typeof command[0] !== 'string') {
      throw new TypeError(`multi(): command ${i} must be a non-empty array starting with the command name`);
    }
    const info = commandInfo(command[0]);
    if (info.refusal !== null) throw new UnsupportedCommandError(info.upper, info.refusal);
    names.push(info.upper);
    const args = command.slice(1);
    checkedSize(command[0], args);
    return { name: command[0] as string, args };
  });

  const queueErrors: ReplyError[] = [];
  let multiError: ReplyError | undefined;
  const multi = new PendingCommand('MULTI', 'MULTI', [], false, noop, (e) => {
    if (e instanceof ReplyError) multiError = e;
  });
  const parts = split.map(
    ({ name, args }, i) =>
      new PendingCommand(names[i] as string, name, args, buffers, noop, (e) => {
        if (e instanceof ReplyError) queueErrors.push(e);
      }),
  );
  const exec = new PendingCommand(
    'EXEC',
    'EXEC',
    [],
    buffers,
    (value) => {
      if (value === null) return reject(new TransactionAbortedError('watch'));
      if (Array.isArray(value)) {
        value.forEach((v, i) => {
          if (v instanceof ReplyError) v.command = names[i];
        });
      }
      resolve(value);
    },
    (e) => {
      if (!(e instanceof ReplyError)) return reject(e);
      if (e.code === 'EXECABORT') return reject(new TransactionAbortedError('execabort', queueErrors, { cause: e }));
      reject(new TransactionAbortedError('error', multiError ? [multiError, e] : [e], { cause: e }));
    },
  );
  return [multi, ...parts, exec];
}
