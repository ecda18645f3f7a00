/**
 * The `huey` command: inspect and operate a huey from a shell. Each
 * subcommand connects (--url/HUEY_URL and --name, or --app), does one thing
 * through src/admin, prints a table or, with --json, JSON, and exits:
 * 0 done, 1 the action could not be done (the reason on stderr), 2 bad usage.
 */
import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Huey } from '../../huey/api.js';
import { describeError } from '../../huey/exceptions.js';
import { LoadError } from '../../huey/consumer/cli/load.js';
import { ActionError, FLUSH_TARGETS, flush, pause, promote, restore, resume, retry, revoke, type FlushTarget } from '../actions.js';
import { connect, type AdminHuey, type ConnectOptions } from '../connect.js';
import { LIST_KINDS, list, periodic, show, status, type ErrorRow, type ListKind, type ResultRow, type TaskRow } from '../inspect.js';
import { startDashboard } from '../dashboard/server.js';
import { brief, table, when } from './format.js';

interface GlobalFlags extends ConnectOptions {
  json?: boolean;
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1.');
  return n;
}

function isoTime(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`"${text}" is not a date (use ISO 8601, e.g. 2026-01-31T12:00:00Z).`);
  return d;
}

function port(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 65535) throw new InvalidArgumentError('port must be a whole number from 0 to 65535.');
  return n;
}

function out(flags: GlobalFlags, data: unknown, human: () => string): void {
  process.stdout.write(`${flags.json ? JSON.stringify(data, null, 2) : human()}\n`);
}

/** Runs `fn` with a connected huey, closing it after; errors become exit code 1 with one line on stderr. */
async function withHuey(cmd: Command, fn: (h: AdminHuey, flags: GlobalFlags) => Promise<void>): Promise<void> {
  const flags = cmd.optsWithGlobals<GlobalFlags>();
  let admin: AdminHuey | null = null;
  try {
    admin = await connect({ ...flags, oneShot: true });
    await fn(admin, flags);
  } catch (err) {
    process.stderr.write(`huey: ${err instanceof ActionError || err instanceof LoadError ? err.message : describeError(err)}\n`);
    process.exitCode = err instanceof LoadError ? 2 : 1;
  } finally {
    await admin?.huey.close().catch(() => undefined);
  }
}

function statusText(s: Awaited<ReturnType<typeof status>>): string {
  const counts = table(
    ['pending', 'scheduled', 'in-flight', 'results', 'errors', 'locks'],
    [[s.pending, s.scheduled, s.inflight, s.results, s.errors, s.locks].map(String)],
  );
  const consumers = table(
    ['consumer', 'state', 'host', 'pid', 'workers', 'since', 'last beat', 'tasks run'],
    s.consumers.map((c) => [c.id, c.alive ? 'alive' : 'DEAD', c.host, String(c.pid), `${c.workers} ${c.kind}`, when(c.since), when(c.beat), c.tasksRun === null ? '-' : String(c.tasksRun)]),
  );
  const minutes = table(
    ['minute', 'finished', 'failed', 'retried', 'queue'],
    s.throughput.map((t) => [new Date(t.minute).toISOString().slice(11, 16), String(t.finished), String(t.failed), String(t.retried), t.depth === null ? '-' : t.depth.toFixed(1)]),
  );
  const note = s.monitoring ? '' : '\n(this storage keeps no consumer records or counters)';
  return `huey "${s.name}"\n\n${counts}\n\nConsumers\n${consumers}\n\nLast ${s.throughput.length} minutes (UTC)\n${minutes}${note}`;
}

function listText(kind: ListKind, rows: (TaskRow | ErrorRow | ResultRow)[]): string {
  if (kind === 'errors') {
    return table(['id', 'task', 'retries left', 'error'], (rows as ErrorRow[]).map((e) => [e.id ?? '-', e.task ?? '-', String(e.retries), brief(e.error, 80)]));
  }
  if (kind === 'results') {
    return table(['id', 'kind', 'value / error'], (rows as ResultRow[]).map((r) => [r.id, r.kind, brief(r.kind === 'error' ? r.error?.error : r.value, 80)]));
  }
  const tasks = rows as TaskRow[];
  if (kind === 'inflight') return table(['id', 'task', 'consumer', 'since', 'args'], tasks.map((t) => [t.id, t.task, t.consumer ?? '-', when(t.since), brief(t.args)]));
  return table(['id', 'task', 'eta', 'retries', 'args'], tasks.map((t) => [t.id, t.task, when(t.eta), String(t.retries), brief(t.args)]));
}

function showText(d: Awaited<ReturnType<typeof show>>): string {
  const lines = [`task ${d.id}: ${d.state}`];
  if (d.task) lines.push(`name: ${d.task.task}`, `args: ${brief(d.task.args, 200)}`, `eta: ${when(d.task.eta)}`, `retries left: ${d.task.retries}`);
  if (d.task?.consumer) lines.push(`running on: ${d.task.consumer}`);
  if (d.revoked) lines.push(`revoked${d.revoked.once ? ' (once)' : ''}${d.revoked.until ? ` until ${d.revoked.until}` : ''}`);
  if (d.state === 'finished') lines.push(`result: ${brief(d.result, 500)}`);
  if (d.error) lines.push(`error: ${d.error.error}`, d.error.traceback);
  if (d.failures.length) lines.push(`failed runs in the error list: ${d.failures.length}`);
  return lines.join('\n');
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function needsApp(huey: Huey<boolean>, fromApp: boolean, what: string): void {
  if (!fromApp) throw new ActionError(`${what} needs the app's task definitions: pass --app path/to/app.js[:export]`);
  void huey;
}

/** The program; `bin/huey.ts` parses process.argv with it. */
export function hueyProgram(): Command {
  const program = new Command('huey')
    .description('Inspect and operate a huey: queues, consumers, failed tasks, the dashboard and metrics.')
    .option('--url <url>', 'storage URL: redis://host:port/db, or sqlite:PATH for a SqliteHuey file; default HUEY_URL, else redis://127.0.0.1:6379')
    .option('--name <name>', 'the huey name (default "huey")')
    .option('--app <module>', 'load the app module (path[:export], as huey-consumer) to know its tasks and periodic tasks')
    .option('--json', 'print JSON instead of tables')
    .showHelpAfterError('(run huey --help for usage)')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

  program
    .command('status')
    .description('counts, consumers (live and dead) and throughput over the last minutes')
    .option('--minutes <n>', 'minutes of throughput to show', positiveInt, 10)
    .action((opts: { minutes: number }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
      const s = await status(huey, opts.minutes);
      out(flags, s, () => statusText(s));
    }));

  for (const kind of LIST_KINDS) {
    program
      .command(kind)
      .description(kind === 'errors' ? 'list the error list (failed tasks, newest first)' : kind === 'results' ? 'list stored results' : `list ${kind === 'inflight' ? 'in-flight' : kind} tasks`)
      .option('--limit <n>', 'at most this many', positiveInt, 100)
      .option('--task <name>', 'only this task name')
      .action((opts: { limit: number; task?: string }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
        const rows = await list(huey, kind, { limit: opts.limit, ...(opts.task ? { task: opts.task } : {}) });
        out(flags, rows, () => listText(kind, rows));
      }));
  }

  program
    .command('show <id>')
    .description("one task: its message, state, result or error with traceback, failed runs")
    .action((id: string, _opts: unknown, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
      const d = await show(huey, id);
      out(flags, d, () => showText(d));
      if (d.state === 'unknown') process.exitCode = 1;
    }));

  program
    .command('retry [id]')
    .description('re-enqueue failed tasks from the error list, with their arguments and a fresh retry count')
    .option('--all', 'every failed task (of --task, if given)')
    .option('--task <name>', 'only this task name')
    .action((id: string | undefined, opts: { all?: boolean; task?: string }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
      const ids = await retry(huey, { ...(id ? { id } : {}), ...opts });
      out(flags, { retried: ids }, () => `retried ${ids.length} task(s)${ids.length ? `: ${ids.join(', ')}` : ''}`);
    }));

  for (const verb of ['revoke', 'restore'] as const) {
    const c = program
      .command(`${verb} [id]`)
      .description(verb === 'revoke' ? 'revoke a task by id, or every task of --task NAME' : 'undo a revoke')
      .option('--task <name>', 'every task of this name');
    if (verb === 'revoke') c.option('--until <iso>', 'revoked until then (ISO 8601)', isoTime).option('--once', 'skip only the next run');
    c.action((id: string | undefined, opts: { task?: string; until?: Date; once?: boolean }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
      const sel = { ...(id ? { id } : {}), ...opts };
      if (verb === 'revoke') {
        await revoke(huey, sel);
        out(flags, { revoked: id ?? opts.task }, () => `revoked ${id ?? `every ${opts.task}`}`);
      } else {
        const was = await restore(huey, sel);
        out(flags, { restored: id ?? opts.task, wasRevoked: was }, () => (was ? `restored ${id ?? opts.task}` : `${id ?? opts.task} was not revoked`));
      }
    }));
  }

  for (const verb of ['pause', 'resume'] as const) {
    program
      .command(verb)
      .description(verb === 'pause' ? 'stop running a task name on every consumer (queued ones wait)' : 'run a paused task name again')
      .requiredOption('--task <name>', 'the task name')
      .action((opts: { task: string }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
        if (verb === 'pause') {
          await pause(huey, opts.task);
          out(flags, { paused: opts.task }, () => `paused ${opts.task}`);
        } else {
          const was = await resume(huey, opts.task);
          out(flags, { resumed: opts.task, wasPaused: was }, () => (was ? `resumed ${opts.task}` : `${opts.task} was not paused`));
        }
      }));
  }

  program
    .command('promote [id]')
    .description('run scheduled tasks now')
    .option('--all', 'every scheduled task (of --task, if given)')
    .option('--task <name>', 'only this task name')
    .action((id: string | undefined, opts: { all?: boolean; task?: string }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
      const ids = await promote(huey, { ...(id ? { id } : {}), ...opts });
      out(flags, { promoted: ids }, () => `promoted ${ids.length} task(s)${ids.length ? `: ${ids.join(', ')}` : ''}`);
    }));

  program
    .command('flush')
    .description('empty a list: queue, schedule, results (and revocations), errors, locks, or consumers (forget dead ones)')
    .addArgument(new Command().createArgument('<what>', FLUSH_TARGETS.join('|')).choices(FLUSH_TARGETS))
    .option('--yes', 'do not ask for confirmation')
    .action((what: FlushTarget, opts: { yes?: boolean }, cmd: Command) => withHuey(cmd, async ({ huey }, flags) => {
      if (!opts.yes && !(await confirm(`Empty the ${what} of huey "${huey.name}"?`))) {
        throw new ActionError(`flush ${what}: not confirmed (answer y, or pass --yes)`);
      }
      const n = await flush(huey, what);
      out(flags, { flushed: what, count: n }, () => `flushed ${what}: ${n} entr${n === 1 ? 'y' : 'ies'}`);
    }));

  program
    .command('periodic')
    .description('periodic tasks with their crontab and next runs (needs --app)')
    .option('--count <n>', 'next runs to show', positiveInt, 1)
    .action((opts: { count: number }, cmd: Command) => withHuey(cmd, async ({ huey, fromApp }, flags) => {
      needsApp(huey, fromApp, 'periodic');
      const rows = await periodic(huey, new Date(), opts.count);
      out(flags, rows, () => table(['task', 'crontab', 'next run', 'revoked'], rows.map((r) => [r.task, r.crontab ?? '(custom)', r.next.map((n) => when(n)).join(', ') || '-', r.revoked ? 'yes' : 'no'])));
    }));

  program
    .command('dashboard')
    .description('serve the live dashboard and /metrics (127.0.0.1 unless --auth/--token or --read-only)')
    .option('--port <port>', 'TCP port', port, 8080)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--auth <user:pass>', 'require HTTP basic auth')
    .option('--token <token>', 'require "Authorization: Bearer <token>"')
    .addOption(new Option('--read-only', 'hide and refuse every action'))
    .action(async (opts: { port: number; host: string; auth?: string; token?: string; readOnly?: boolean }, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      try {
        const admin = await connect(flags);
        const dash = await startDashboard(admin.huey, { ...opts, fromApp: admin.fromApp });
        process.stderr.write(`huey dashboard for "${admin.huey.name}" on ${dash.url}${opts.readOnly ? ' (read-only)' : ''}\n`);
        const stop = () => void dash.close().then(() => admin.huey.close()).finally(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        process.stderr.write(`huey: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(2);
      }
    });

  return program;
}
