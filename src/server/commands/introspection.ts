// SLOWLOG and LATENCY: what the slow log and the latency monitor
// (command-timing.ts) have recorded, in Redis 7.0's reply shapes.
import type { Client, ClientCommand } from '../client.js';
import { CommandError } from '../errors.js';
import { parseInt64 } from '../numbers.js';
import { clientContainerCommand } from './subcommands.js';

/** Redis's addReplyHelp: the title line, the lines, then HELP itself. */
function replyHelp(c: Client, lines: readonly string[]): void {
  c.reply.arrayLen(lines.length + 3);
  c.reply.simple(`${c.argv[0].toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) c.reply.simple(line);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

// SLOWLOG GET [count]
function slowlogGet(c: Client): void {
  if (c.argv.length > 3) {
    throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${c.argv[1]}'. Try SLOWLOG HELP.`);
  }
  const slowlog = c.server.timing.slowlog;
  let count = 10;
  if (c.argv.length === 3) {
    const n = parseInt64(c.argv[2]);
    if (n === null || n < -1n) throw new CommandError('ERR count should be greater than or equal to -1');
    count = n === -1n ? slowlog.length : Number(n);
  }
  const entries = slowlog.newest(count);
  const r = c.reply;
  r.arrayLen(entries.length);
  for (const e of entries) {
    r.arrayLen(6);
    r.integer(e.id);
    r.integer(e.time);
    r.integer(e.duration);
    r.bulkArray(e.argv);
    r.bulk(e.addr);
    r.bulk(e.name);
  }
}

const slowlog = clientContainerCommand<Client>(
  'slowlog',
  [
    { name: 'get', arity: -2, handler: slowlogGet },
    { name: 'len', arity: 2, handler: (c) => c.reply.integer(c.server.timing.slowlog.length) },
    {
      name: 'reset',
      arity: 2,
      handler: (c) => {
        c.server.timing.slowlog.reset();
        c.reply.ok();
      },
    },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], handler: (c) => replyHelp(c, SLOWLOG_HELP) },
  ],
  { flags: ['admin', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'] },
);

// LATENCY GRAPH and HISTOGRAM are not implemented (no sparklines, no per-command histograms): HELP lists what is.
const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
];

const latency = clientContainerCommand<Client>(
  'latency',
  [
    // LATENCY HISTORY event: [time, latency] pairs, oldest first.
    {
      name: 'history',
      arity: 3,
      handler: (c) => {
        const samples = c.server.timing.latency.history(c.argv[2]) ?? [];
        c.reply.arrayLen(samples.length);
        for (const s of samples) {
          c.reply.arrayLen(2);
          c.reply.integer(s.time);
          c.reply.integer(s.latency);
        }
      },
    },
    // LATENCY LATEST: [event, time, latest, all-time max] per event.
    {
      name: 'latest',
      arity: 2,
      handler: (c) => {
        const events = c.server.timing.latency.latest();
        c.reply.arrayLen(events.length);
        for (const e of events) {
          c.reply.arrayLen(4);
          c.reply.bulk(e.event);
          c.reply.integer(e.time);
          c.reply.integer(e.latency);
          c.reply.integer(e.max);
        }
      },
    },
    {
      name: 'doctor',
      arity: 2,
      handler: (c) => c.reply.verbatim(c.server.timing.latency.doctor(c.server.timing.slowlog.slowerThan, 10)),
    },
    // LATENCY RESET [event ...]: how many events were forgotten.
    {
      name: 'reset',
      arity: -2,
      handler: (c) => {
        const monitor = c.server.timing.latency;
        if (c.argv.length === 2) return c.reply.integer(monitor.reset());
        let n = 0;
        for (let j = 2; j < c.argv.length; j++) n += monitor.reset(c.argv[j]);
        c.reply.integer(n);
      },
    },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], handler: (c) => replyHelp(c, LATENCY_HELP) },
  ],
  { flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'] },
);

export const introspectionCommands: ClientCommand[] = [
  { ...slowlog, summary: 'A container for slow log commands', syntax: 'GET|LEN|RESET|HELP ...' },
  { ...latency, summary: 'A container for latency diagnostics commands', syntax: 'DOCTOR|HISTORY|LATEST|RESET|HELP ...' },
];
