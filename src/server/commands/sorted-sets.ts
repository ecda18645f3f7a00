import type { CommandSpec } from '../command.js';

export const sortedSetCommands: CommandSpec[] = [];
