// An example simpledb extension: `simpledb -x ./examples/simpledb-extension/hello.js`
// adds HELLOWORLD [name] and GETLEN key. An extension module exports
// register(api); api.registerCommand takes a CommandSpec (see
// src/server/command.ts): the dispatcher checks arity, AUTH and MULTI for it
// like any built-in command.
import { CommandError } from 'huey-ts/server';

export function register(api) {
  // HELLOWORLD [name]
  api.registerCommand({
    name: 'helloworld',
    arity: -1,
    flags: ['fast'],
    keys: [0, 0, 0],
    handler(ctx) {
      if (ctx.argv.length > 2) throw new CommandError("ERR wrong number of arguments for 'helloworld' command");
      ctx.reply.bulk(`hello ${ctx.argv[1] ?? 'world'}`);
    },
  });
  // GETLEN key: the length of a string value, WRONGTYPE for others.
  api.registerCommand({
    name: 'getlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    handler(ctx) {
      const value = ctx.db.getString(ctx.argv[1]);
      ctx.reply.integer(value === undefined ? 0 : value.length);
    },
  });
}
