// Container commands (CLIENT, CONFIG, COMMAND, PUBSUB, XGROUP, XINFO...): a
// spec whose subcommands each carry Redis's arity, flags and handler. The
// dispatcher resolves argv[1] among them (unknown subcommand, arity) and
// runs that handler: this file only builds the table, with the generated
// HELP Redis gives containers that have no HELP text of their own.
import type { ClientCommandSpec, CommandContext, CommandFlag, CommandSpec } from '../command.js';
import { CommandError, wrongArity } from '../errors.js';

export interface Subcommand<X extends CommandContext = CommandContext> {
  name: string;
  /** Arity counting the container and the subcommand, as Redis's table. */
  arity: number;
  handler: (ctx: X) => void;
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

interface Container<X> {
  name: string;
  arity: number;
  flags: readonly CommandFlag[];
  categories: readonly string[];
  keys: readonly [number, number, number];
  handler: (ctx: X) => void;
  subcommands: { name: string; arity: number; flags: readonly CommandFlag[]; categories: readonly string[]; keys: readonly [number, number, number]; handler: (ctx: X) => void }[];
}

/**
 * As in Redis, the container itself has no flags and the category @slow;
 * each subcommand has its own (COMMAND INFO lists them, the dispatcher
 * checks their arity and uses their flags for MONITOR).
 */
function container<X extends CommandContext>(name: string, subs: readonly Subcommand<X>[], defaults: SubcommandDefaults): Container<X> {
  const upper = name.toUpperCase();
  const all = [...subs];
  if (!subs.some((s) => s.name === 'help')) {
    all.push({
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      categories: (defaults.categories ?? []).filter((c) => c === 'slow' || c === 'connection'),
      handler: (ctx) => {
        ctx.reply.arrayLen(subs.length + 1);
        ctx.reply.simple(`${upper} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
        for (const s of subs) ctx.reply.simple(s.name.toUpperCase());
      },
    });
  }
  return {
    name,
    arity: -2,
    flags: [],
    categories: ['slow'],
    keys: [0, 0, 0],
    // The dispatcher runs the subcommands' handlers; this one is reached only without a subcommand, which arity -2 refuses.
    handler: () => {
      throw new CommandError(wrongArity(name));
    },
    subcommands: all.map((s) => ({
      name: `${name}|${s.name}`,
      arity: s.arity,
      flags: s.flags ?? defaults.flags ?? [],
      categories: s.categories ?? defaults.categories ?? [],
      keys: s.keys ?? [0, 0, 0],
      handler: s.handler,
    })),
  };
}

/** A container of data commands (XGROUP, XINFO): handlers take a CommandContext. */
export function containerCommand(name: string, subs: readonly Subcommand[], defaults: SubcommandDefaults = {}): CommandSpec {
  return container(name, subs, defaults);
}

/** A container whose handlers take the client (CLIENT, CONFIG, COMMAND, PUBSUB). */
export function clientContainerCommand<C extends CommandContext>(
  name: string,
  subs: readonly Subcommand<C>[],
  defaults: SubcommandDefaults = {},
): ClientCommandSpec<C> {
  const spec = container(name, subs, defaults);
  return { ...spec, needsClient: true, subcommands: spec.subcommands.map((s) => ({ ...s, needsClient: true })) };
}
