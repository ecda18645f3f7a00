import type { CommandSpec } from '../command.js';

export const keyspaceCommands: CommandSpec[] = [];
