#!/usr/bin/env node
// huey CLI: inspect and operate a huey (status, lists, retry, revoke, pause,
// promote, flush, periodic, dashboard). The commands live in src/admin.
import { hueyProgram } from '../src/admin/cli/program.js';

await hueyProgram().parseAsync();
