// Container commands (CLIENT, CONFIG, COMMAND, PUBSUB...): one spec whose
// handler routes on argv[1] with Redis's per-subcommand arity and errors.
import type { CommandContext, CommandFlag, CommandSpec } from '../command.js';
import { CommandError, wrongArity } from '../errors.js';

export interface Subcommand {
  name: string;
  /** Arity counting the container and the subcommand, as Redis's table. */
  arity: number;
  handler: (ctx: CommandContext) => void;
  flags?: readonly CommandFlag[];
  categories?: readonly string[];
  /** Key positions for COMMAND INFO (first, last, step); none by default. */
  keys?: readonly [first: number, last: number, step: number];
}

/** Flags and ACL categories of the subcommands that do not give their own. */
export interface SubcommandDefaults {
  flags?: readonly CommandFlag[];
  categories?: readonly string[];
}

/** Redis's addReplySubcommandSyntaxError: a known subcommand given arguments it cannot take. */
export function subcommandSyntaxError(ctx: CommandContext): CommandError {
  return new CommandError(
    `ERR unknown subcommand or wrong number of arguments for '${ctx.argv[1].slice(0, 128)}'. Try ${ctx.argv[0].toUpperCase()} HELP.`,
  );
}

/**
 * A container command. As in Redis, the container itself has no flags and the
 * category @slow; each subcommand has its own (COMMAND INFO lists them, the
 * dispatcher checks their arity and uses their flags for MONITOR).
 */
export function subcommandDispatcher(
  container: string,
  subs: readonly Subcommand[],
  defaults: SubcommandDefaults = {},
): CommandSpec {
  const byName = new Map(subs.map((s) => [s.name, s]));
  const upper = container.toUpperCase();
  const subSpec = (s: Subcommand): CommandSpec => ({
    name: `${container}|${s.name}`,
    arity: s.arity,
    flags: s.flags ?? defaults.flags ?? [],
    categories: s.categories ?? defaults.categories ?? [],
    keys: s.keys ?? [0, 0, 0],
    handler: s.handler,
  });
  const help: Subcommand = {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    categories: (defaults.categories ?? []).filter((c) => c === 'slow' || c === 'connection'),
    handler: () => {},
  };
  return {
    name: container,
    arity: -2,
    flags: [],
    categories: ['slow'],
    keys: [0, 0, 0],
    handler(ctx) {
      const name = ctx.argv[1].toLowerCase();
      if (name === 'help' && !byName.has('help')) {
        ctx.reply.arrayLen(subs.length + 1);
        ctx.reply.simple(`${upper} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
        for (const s of subs) ctx.reply.simple(s.name.toUpperCase());
        return;
      }
      const sub = byName.get(name);
      if (!sub) throw new CommandError(`ERR unknown subcommand '${ctx.argv[1].slice(0, 128)}'. Try ${upper} HELP.`);
      const n = ctx.argv.length;
      if ((sub.arity > 0 && n !== sub.arity) || n < -sub.arity) throw new CommandError(wrongArity(`${container}|${sub.name}`));
      sub.handler(ctx);
    },
    subcommands: [...subs, ...(byName.has('help') ? [] : [help])].map(subSpec),
  };
}
